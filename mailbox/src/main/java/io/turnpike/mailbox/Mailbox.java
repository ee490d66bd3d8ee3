package io.turnpike.mailbox;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.MailboxDelete;
import io.turnpike.core.channel.MailboxFetch;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.channel.TypedMessage;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Ecies;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.store.MailboxStore;
import io.turnpike.store.MailboxUsage;
import io.turnpike.store.StoredEnvelope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A provider's mailboxes (DESIGN §6 {@code mailbox}): anyone delivers a sealed envelope to an address whose mailbox is
 * {@link Access.Open open}; its owner fetches and deletes with requests it signed (EIP-712, in {@code domain}, naming
 * this provider, with an expiry and a nonce used once). What is stored is ciphertext only: {@link Ecies} envelopes the
 * provider cannot open. {@link #sweep()} applies retention and erases mailboxes whose grace period is over; the node
 * runs it on a schedule. Every refusal is a {@link TurnpikeException} whose message says what to do, and changes
 * nothing.
 */
public final class Mailbox {

    /** An owner's fetch: the envelopes, whether more wait after them, and what the mailbox may do now. */
    public record Fetched(List<StoredEnvelope> envelopes, boolean more, Access access) {
        public Fetched {
            envelopes = List.copyOf(envelopes);
        }
    }

    /** What one {@link #sweep()} removed. */
    public record Swept(int envelopesPastRetention, int mailboxesErased, int noncesForgotten) {
    }

    private final Address provider;
    private final Eip712Domain domain;
    private final MailboxConfig config;
    private final MailboxStore store;
    private final MailboxAccess access;
    private final ChannelPayments payments;
    private final Clock clock;

    /**
     * @param provider this provider's address, which signed requests must name
     * @param domain the EIP-712 domain requests are signed in: Turnpike's, bound to the chain and the TurnpikeMarket
     */
    public Mailbox(Address provider, Eip712Domain domain, MailboxConfig config, MailboxStore store,
                   Subscriptions subscriptions, ChannelPayments payments, Clock clock) {
        this.provider = provider;
        this.domain = domain;
        this.config = config;
        this.store = store;
        this.access = new MailboxAccess(config, subscriptions, payments);
        this.payments = payments;
        this.clock = clock;
    }

    public Address provider() {
        return provider;
    }

    public Eip712Domain domain() {
        return domain;
    }

    public MailboxConfig config() {
        return config;
    }

    /** The provider's clock: what subscriptions' expiries and requests' expiries are compared with. */
    public Instant now() {
        return clock.instant();
    }

    /** What {@code owner}'s mailbox may do now. */
    public Access access(Address owner) {
        return access.of(owner, clock.instant());
    }

    /**
     * Stores {@code envelope} for {@code to}, durably, and returns its id.
     *
     * @throws TurnpikeException {@code envelope_too_large}, {@code malformed_body} for bytes that are no envelope,
     *     {@code subscription_required} / {@code subscription_expired} when the mailbox takes no deliveries,
     *     {@code mailbox_quota_exceeded} when it is full
     */
    public long deliver(Address to, byte[] envelope) {
        if (envelope.length > config.maxEnvelopeBytes()) {
            throw new TurnpikeException(ErrorCode.ENVELOPE_TOO_LARGE, "the envelope is " + envelope.length
                    + " bytes; this mailbox takes at most " + config.maxEnvelopeBytes() + ": send a shorter message, or "
                    + "split it");
        }
        if (envelope.length < Ecies.OVERHEAD || envelope[0] != Ecies.VERSION) {
            throw new TurnpikeException(ErrorCode.MALFORMED_BODY, "the envelope is not sealed as docs/mailbox.md says "
                    + "(version " + Ecies.VERSION + ", at least " + Ecies.OVERHEAD + " bytes): seal it to the "
                    + "recipient's key first; nothing was stored");
        }
        return switch (access(to)) {
            case Access.Open open -> {
                OptionalLong id = store.deliver(to, envelope, open.terms().quotaBytes());
                if (id.isEmpty()) {
                    MailboxUsage usage = store.usage(to);
                    throw new TurnpikeException(ErrorCode.MAILBOX_QUOTA_EXCEEDED, "the mailbox of " + to + " holds "
                            + usage.storedBytes() + " of its " + open.terms().quotaBytes() + " bytes, and this "
                            + envelope.length + "-byte envelope does not fit; nothing was stored. Try again once its "
                            + "owner has fetched and deleted its mail");
                }
                if (open.basis() == Access.Basis.CHANNEL) {
                    payments.stored(to, envelope.length);
                }
                yield id.getAsLong();
            }
            case Access.Grace grace -> throw new TurnpikeException(ErrorCode.SUBSCRIPTION_EXPIRED, "the mailbox "
                    + "subscription of " + to + " to plan " + grace.planId() + " expired at " + grace.expiredAt()
                    + ", so it takes no new mail; its owner can still read it until " + grace.eraseAt()
                    + ", when it is erased. Its owner renews with: " + renewal(grace.planId()) + ". Nothing was stored");
            case Access.Closed closed -> throw closed(to, closed, "takes no mail here; nothing was stored");
        };
    }

    /**
     * The owner's envelopes after {@code request.after()}, at most {@code request.limit()} (and this provider's own
     * limits); allowed while the mailbox is open and during its grace period.
     *
     * @throws TurnpikeException as {@link #delete}, and when the mailbox is closed
     */
    public Fetched fetch(Signed<MailboxFetch> request) {
        MailboxFetch fetch = request.message();
        Access now = authenticate(request, fetch.provider(), fetch.mailbox(), fetch.expiry(), fetch.nonce(), false);
        int limit = (int) Math.min(fetch.limit(), config.maxFetchEnvelopes());
        List<StoredEnvelope> found = store.after(fetch.mailbox(), fetch.after(), limit + 1);
        List<StoredEnvelope> answered = new ArrayList<>();
        long bytes = 0;
        for (StoredEnvelope envelope : found.subList(0, Math.min(limit, found.size()))) {
            bytes += envelope.envelope().length;
            if (!answered.isEmpty() && bytes > config.maxFetchBytes()) {
                break;
            }
            answered.add(envelope);
        }
        return new Fetched(answered, found.size() > answered.size(), now);
    }

    /**
     * Deletes the owner's envelopes up to {@code request.through()}; returns how many there were.
     *
     * @throws TurnpikeException {@code bad_argument} for a request signed for another provider, {@code stale_request}
     *     when it expired or expires too far ahead, {@code invalid_signature}, {@code wrong_signer} when the mailbox's
     *     owner did not sign it, {@code request_replayed} for a nonce used before, {@code subscription_required} /
     *     {@code subscription_expired} when the mailbox is closed
     */
    public int delete(Signed<MailboxDelete> request) {
        MailboxDelete delete = request.message();
        authenticate(request, delete.provider(), delete.mailbox(), delete.expiry(), delete.nonce(), true);
        return store.deleteThrough(delete.mailbox(), delete.through());
    }

    /**
     * {@code owner}'s public key, as its own signature showed it, for senders to seal to (they check that it hashes
     * to {@code owner}, so they need not trust this provider for it).
     *
     * @throws TurnpikeException {@code unknown_key} until the owner has made a signed request here
     */
    public PublicKey key(Address owner) {
        return store.key(owner).orElseThrow(() -> new TurnpikeException(ErrorCode.UNKNOWN_KEY, "this provider has "
                + "not seen a signed request from " + owner + " yet, so it does not know its public key; ask its "
                + "owner for the key, or to fetch from this mailbox once"));
    }

    /**
     * Deletes what is past its plan's retention, erases every mailbox that is closed (its grace period over), and
     * forgets the nonces of expired requests.
     */
    public Swept sweep() {
        Instant now = clock.instant();
        int pastRetention = 0;
        int erased = 0;
        for (Address owner : store.nonEmpty()) {
            switch (access.of(owner, now)) {
                case Access.Open open -> pastRetention += store.deleteReceivedBefore(owner,
                        now.minus(open.terms().retention()));
                case Access.Grace grace -> pastRetention += store.deleteReceivedBefore(owner,
                        now.minus(grace.terms().retention()));
                case Access.Closed closed -> {
                    store.erase(owner);
                    erased++;
                }
            }
        }
        return new Swept(pastRetention, erased, store.forgetNoncesExpiredBefore(now.getEpochSecond()));
    }

    /**
     * Checks a signed request and takes its nonce: for this provider, not expired nor expiring too far ahead, signed by
     * the mailbox's owner, the mailbox readable, the nonce new. Nothing is stored unless every check passed.
     *
     * @param changes whether the request changes the mailbox (a delete): its nonce is then durable before it is
     *     carried out; a fetch's is written in the next group commit ({@link MailboxStore#claimReadRequest})
     */
    private Access authenticate(Signed<? extends TypedMessage> request, Address namedProvider, Address mailbox,
                                long expiry, Bytes32 nonce, boolean changes) {
        if (!namedProvider.equals(provider)) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "the request was signed for provider " + namedProvider
                    + "; this is " + provider + ". Sign one that names it");
        }
        Instant now = clock.instant();
        long seconds = now.getEpochSecond();
        if (expiry < seconds) {
            throw new TurnpikeException(ErrorCode.STALE_REQUEST, "the request expired at "
                    + Instant.ofEpochSecond(expiry) + " (now " + now + "); sign a new one");
        }
        if (expiry > seconds + config.maxRequestLifetime().toSeconds()) {
            throw new TurnpikeException(ErrorCode.STALE_REQUEST, "the request expires at "
                    + Instant.ofEpochSecond(expiry) + ", more than " + config.maxRequestLifetime().toSeconds()
                    + " s ahead (now " + now + "); sign one that expires sooner, or check this machine's clock");
        }
        PublicKey signer = request.signature().recoverKey(domain.digest(request.message()));
        if (!signer.address().equals(mailbox)) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER, "the request for the mailbox of " + mailbox
                    + " was signed by " + signer.address() + "; only the mailbox's owner reads and deletes it");
        }
        Access readable = access.of(mailbox, now);
        if (readable instanceof Access.Closed closed) {
            throw closed(mailbox, closed, "cannot be read here");
        }
        if (!(changes ? store.claimRequest(mailbox, signer, nonce, expiry)
                : store.claimReadRequest(mailbox, signer, nonce, expiry))) {
            throw new TurnpikeException(ErrorCode.REQUEST_REPLAYED, "this request's nonce " + nonce + " was used "
                    + "before: a signed request is taken once. Sign a new one with a fresh nonce");
        }
        return readable;
    }

    private TurnpikeException closed(Address owner, Access.Closed closed, String consequence) {
        return closed.lapsed()
                .map(lapse -> new TurnpikeException(ErrorCode.SUBSCRIPTION_EXPIRED, "the mailbox subscription of "
                        + owner + " to plan " + lapse.planId() + " expired at " + lapse.expiredAt() + " and its mail "
                        + "was erased at " + lapse.erasedAt() + ", so it " + consequence + ". Its owner renews with: "
                        + renewal(lapse.planId())))
                .orElseGet(() -> new TurnpikeException(ErrorCode.SUBSCRIPTION_REQUIRED, owner + " has no mailbox "
                        + "subscription at " + provider + ", so it " + consequence + ". Its owner subscribes with: "
                        + subscription() + (channelPaid() ? ", or pays per message-byte over a channel" : "")));
    }

    private String renewal(long planId) {
        return "turnpike subscribe " + provider + " --plan " + planId + " --months N";
    }

    private String subscription() {
        return config.plans().isEmpty() ? "(no plan is offered here)" : "turnpike subscribe " + provider + " --plan "
                + config.plans().keySet().stream().sorted().map(String::valueOf).collect(Collectors.joining("|"))
                + " --months N";
    }

    private boolean channelPaid() {
        return payments != ChannelPayments.NONE;
    }
}
