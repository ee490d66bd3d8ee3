package io.turnpike.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.chain.MutableClock;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.http.KeepAliveClient;
import io.turnpike.store.MailboxStore;
import io.turnpike.store.StoredEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A request a stranger posts to a running mailbox — its real API (over one kept connection) and SQLite store, in free
 * mode, with a letter already waiting for Bob — is taken or refused with a code, and a refused one changes nothing:
 * every mailbox holds the same letters and usage, and no key is learnt. A delivery anyone may make in free mode is
 * taken; fetches and deletes need the owner's signature, which cannot be fuzzed. The first byte picks the endpoint,
 * the rest is the body. Run as a campaign with {@code ./turnpike fuzz MailboxStateFuzzTest}.
 */
class MailboxStateFuzzTest {

    private static final String[] PATHS = {"/v1/mailbox/deliver", "/v1/mailbox/fetch", "/v1/mailbox/delete"};
    private static final PrivateKey BOB = PrivateKey.fromHex("0x" + "b0".repeat(32));

    /** One mailbox for the whole campaign; started on first use. */
    private static final class Running {
        static final MailboxHarness MAILBOX = start();
        static final KeepAliveClient HTTP = new KeepAliveClient(URI.create("http://127.0.0.1:"
                + MAILBOX.api.address().getPort()), "Content-Type: application/json\r\n");

        private static MailboxHarness start() {
            try {
                Address provider = PrivateKey.fromHex("0x" + "11".repeat(32)).address();
                MailboxHarness mailbox = new MailboxHarness(Files.createTempDirectory("mailbox-fuzz"), provider,
                        Eip712Domain.turnpike(31337, Address.of("0x00000000000000000000000000000000000000aa")),
                        MailboxConfig.subscriptions(Map.of(), MailboxTerms.days(30, 100_000)).withFree(true),
                        (owner, plan) -> OptionalLong.empty(), ChannelPayments.NONE,
                        new MutableClock(Instant.parse("2026-03-01T12:00:00Z")));
                Runtime.getRuntime().addShutdownHook(new Thread(mailbox::close));
                mailbox.client.read(BOB, 0, 10);
                mailbox.client.send(BOB.address(), mailbox.client.keyOf(BOB.address()),
                        "lunch at one?".getBytes(StandardCharsets.UTF_8));
                return mailbox;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What the mailboxes held after the last refused input — a refusal leaves them as they were, so it is the next
     * input's "before" and each input reads the store once; null after a taken delivery.
     */
    private static Map<Address, String> lastHeld;

    @FuzzTest(maxDuration = "30s")
    void aRefusedRequestChangesNothing(byte[] input) {
        String path = PATHS[input.length == 0 ? 0 : Byte.toUnsignedInt(input[0]) % PATHS.length];
        byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        Map<Address, String> before = lastHeld != null ? lastHeld : held();

        KeepAliveClient.Answer answer = Running.HTTP.post(path, body);

        if (answer.status() == 200) {
            assertThat(path).as("only a delivery is taken without the owner's signature").isEqualTo(PATHS[0]);
            eraseStrangersMailboxes();
            lastHeld = null;
            return;
        }
        String code = JsonObjectReader.parse(answer.body()).string("code");
        assertThat(code).as("a refusal names its code").isNotBlank().isNotEqualTo("internal");
        lastHeld = held();
        assertThat(lastHeld).as("the mailboxes after %s", code).isEqualTo(before);
    }

    /**
     * Empties every mailbox but Bob's, so the store a campaign reads stays the size it started at instead of growing by
     * a letter for each delivery taken (which made every input slower than the one before).
     */
    private static void eraseStrangersMailboxes() {
        MailboxStore store = Running.MAILBOX.mailboxes;
        store.nonEmpty().stream().filter(owner -> !owner.equals(BOB.address())).forEach(store::erase);
    }

    /** Each mailbox: its usage, its key, and every letter's id, time, size and hash. */
    private static Map<Address, String> held() {
        MailboxStore store = Running.MAILBOX.mailboxes;
        Map<Address, String> held = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        Stream.concat(store.nonEmpty().stream(), Stream.of(BOB.address())).distinct().forEach(owner ->
                held.put(owner, store.usage(owner) + " " + store.key(owner) + " "
                        + store.after(owner, 0, Integer.MAX_VALUE).stream().map(MailboxStateFuzzTest::letter).toList()));
        return held;
    }

    private static String letter(StoredEnvelope stored) {
        return stored.id() + "@" + stored.receivedAt() + ":" + stored.envelope().length + ":"
                + Arrays.hashCode(stored.envelope());
    }
}
