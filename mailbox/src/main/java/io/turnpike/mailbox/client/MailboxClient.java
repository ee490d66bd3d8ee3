package io.turnpike.mailbox.client;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.MailboxDelete;
import io.turnpike.core.channel.MailboxFetch;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Ecies;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.mailbox.MailboxMessages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider's mailbox as senders and owners use it (docs/mailbox.md): a sender seals a message to the recipient's
 * key, which it checks against the recipient's address, and delivers it; an owner signs its fetches and deletes
 * (EIP-712 in the domain the provider announces, a fresh nonce each, expiring soon) and opens what it reads. A refusal
 * is a {@link TurnpikeException} with the provider's code and message.
 */
public final class MailboxClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final Clock clock;
    private final SecureRandom random;
    private final MailboxMessages.Info info;
    private final Eip712Domain domain;
    /** How far the provider's clock is ahead of {@code clock}, in seconds: expiries are counted on the provider's. */
    private final long skew;

    private MailboxClient(HttpClient http, URI base, Clock clock, SecureRandom random) {
        this.http = http;
        this.base = base;
        this.clock = clock;
        this.random = random;
        this.info = call(HttpRequest.newBuilder(base.resolve("/v1/mailbox")).GET(), MailboxMessages.Info::read);
        this.domain = Eip712Domain.turnpike(info.chainId(), info.verifyingContract());
        this.skew = info.now() - clock.instant().getEpochSecond();
    }

    /**
     * The mailbox at {@code base} ({@code http://host:port}), whose terms and signing domain are read at once.
     *
     * @param clock when signed requests expire is counted from it, set to the provider's clock as its terms state it
     * @throws TurnpikeException {@code provider_unreachable} if it does not answer
     */
    public static MailboxClient connect(URI base, Clock clock) {
        return new MailboxClient(HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), base, clock,
                new SecureRandom());
    }

    public MailboxMessages.Info info() {
        return info;
    }

    /**
     * {@code owner}'s public key as the provider learnt it, checked to be {@code owner}'s own.
     *
     * @throws TurnpikeException {@code unknown_key} if the owner never signed a request there; {@code bad_response}
     *     if the provider answered a key that is not {@code owner}'s
     */
    public PublicKey keyOf(Address owner) {
        MailboxMessages.Key key = call(HttpRequest.newBuilder(base.resolve("/v1/mailbox/keys/" + owner)).GET(),
                MailboxMessages.Key::read);
        if (!key.publicKey().address().equals(owner)) {
            throw new TurnpikeException(ErrorCode.BAD_RESPONSE, "the provider answered a key of "
                    + key.publicKey().address() + " for " + owner + "; nothing was sent. Get the key from its owner");
        }
        return key.publicKey();
    }

    /** Seals {@code message} to {@code to}'s key and delivers it; returns its id in {@code to}'s mailbox. */
    public long send(Address to, PublicKey key, byte[] message) {
        if (!key.address().equals(to)) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "the key is " + key.address() + "'s, not " + to
                    + "'s; nothing was sent");
        }
        return deliver(to, Ecies.seal(key, message, random));
    }

    /** Delivers an envelope already sealed; returns its id. */
    public long deliver(Address to, byte[] envelope) {
        return post("/v1/mailbox/deliver", new MailboxMessages.Delivery(to, envelope).toJson(),
                MailboxMessages.Delivered::read).id();
    }

    /** The owner's messages after id {@code after}, at most {@code limit}, opened. */
    public List<Letter> read(PrivateKey owner, long after, long limit) {
        return fetch(signFetch(owner, after, limit)).envelopes().stream()
                .map(envelope -> new Letter(envelope.id(), envelope.receivedAt(),
                        Ecies.open(owner, envelope.envelope())))
                .toList();
    }

    /** Sends a fetch signed already, as it is. */
    public MailboxMessages.Fetched fetch(Signed<MailboxFetch> request) {
        return post("/v1/mailbox/fetch", MailboxMessages.fetchJson(request), MailboxMessages.Fetched::read);
    }

    /** Deletes the owner's envelopes up to id {@code through}; returns how many there were. */
    public long delete(PrivateKey owner, long through) {
        return delete(Signed.sign(new MailboxDelete(info.provider(), owner.address(), through, expiry(), nonce()),
                domain, owner));
    }

    /** Sends a delete signed already, as it is. */
    public long delete(Signed<MailboxDelete> request) {
        return post("/v1/mailbox/delete", MailboxMessages.deleteJson(request), MailboxMessages.Deleted::read).deleted();
    }

    /** A fetch signed by {@code owner}: for this provider, a fresh nonce, expiring in half what the provider allows. */
    public Signed<MailboxFetch> signFetch(PrivateKey owner, long after, long limit) {
        return Signed.sign(new MailboxFetch(info.provider(), owner.address(), after, limit, expiry(), nonce()), domain,
                owner);
    }

    /** The domain requests are signed in, as the provider announced it. */
    public Eip712Domain domain() {
        return domain;
    }

    private long expiry() {
        return clock.instant().getEpochSecond() + skew + Math.max(1, info.maxRequestSeconds() / 2);
    }

    private Bytes32 nonce() {
        return Bytes32.random(random);
    }

    private <T> T post(String path, ObjectNode body, Function<JsonObjectReader, T> answer) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonObjectReader.MAPPER.writeValueAsBytes(body))), answer);
    }

    /** The answer, read by {@code answer}; a refusal thrown as the provider coded it. */
    private <T> T call(HttpRequest.Builder request, Function<JsonObjectReader, T> answer) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.PROVIDER_UNREACHABLE, "the mailbox at " + base + " did not answer ("
                    + e.getMessage() + "); try again later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TurnpikeException(ErrorCode.STOPPING, "interrupted while waiting for the mailbox", e);
        }
        try {
            JsonObjectReader json = JsonObjectReader.parse(response.body());
            if (response.statusCode() != 200) {
                throw new TurnpikeException(ErrorCode.fromCode(json.string("code")).orElse(ErrorCode.BAD_RESPONSE),
                        json.string("message"));
            }
            return answer.apply(json);
        } catch (JsonObjectReader.BadJson e) {
            throw new TurnpikeException(ErrorCode.BAD_RESPONSE, "the mailbox at " + base + " answered what is not "
                    + "its API's JSON: " + e.getMessage());
        }
    }
}
