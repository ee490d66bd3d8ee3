package io.turnpike.tower;

import static io.turnpike.chain.ChannelFixture.ether;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Amount;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.http.KeepAliveClient;
import io.turnpike.store.TowerEntry;
import io.turnpike.store.TowerPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/**
 * What a stranger posts to a running tower — its real API (over one kept connection) and store, in front of anvil,
 * with a channel it already defends — is refused with a code and changes nothing: the tower holds the same proofs in
 * the same phases and has sent nothing on chain. Forged signatures cannot be fuzzed into valid ones, so every input
 * here should be refused; one that is taken is still checked to have answered with a receipt. The first byte picks the
 * endpoint (odd: the restore), the rest is the body. Run as a campaign with
 * {@code ./turnpike fuzz TowerStateFuzzTest}.
 */
class TowerStateFuzzTest {

    private static final Amount REWARD = Amount.of(1_000_000_000_000_000L);

    /** One tower for the whole campaign, defending Bob in one channel; started on first use. */
    private static final class Running {
        static final ChannelFixture F = ChannelFixture.deploy(SharedAnvil.get());
        static final TowerHarness TOWER = start();
        static final KeepAliveClient HTTP = new KeepAliveClient(TOWER.url(), "Content-Type: application/json\r\n");
        /**
         * Asks anvil for the tower's nonce over a kept connection: through the chain layer's client (instrumented
         * like everything else in a campaign) the question took more time than the tower's answer.
         */
        static final KeepAliveClient ANVIL = new KeepAliveClient(URI.create(F.anvil.rpcUrl()),
                "Content-Type: application/json\r\n");
        static final byte[] NONCE_QUESTION = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionCount\","
                + "\"params\":[\"" + TOWER.address().toLowerHex() + "\",\"pending\"]}").getBytes(StandardCharsets.UTF_8);
        /** The tower's nonce once it is defending: nobody closes the channel, so it has nothing to send. */
        static final long SENT = sentOnChain();
        /**
         * A campaign asks anvil for the nonce on every {@value #NONCE_EVERY}th input, a regression run on every one:
         * the question cost as much as the tower's answer, and the tower writes the phase of any channel it acts on
         * before it sends (which the per-input comparison of what it holds sees at once), so the nonce is the second
         * line. It only grows: a transaction sent is still seen, a few inputs late.
         */
        static final int NONCE_EVERY = System.getenv("JAZZER_FUZZ") == null ? 1 : 64;

        private static TowerHarness start() {
            try {
                TowerHarness tower = TowerHarness.started(F, F.towerKey, TowerHarness.chainClock(F),
                        Files.createTempDirectory("tower-fuzz"));
                Runtime.getRuntime().addShutdownHook(new Thread(tower::close));
                long channel = F.openEther(ether(10), ether(1));
                TowerHarness.Reply taken = tower.post("/v1/proofs", Uploads.upload(F, F.aliceKey, F.bobKey, channel,
                        5, ether(3), REWARD, tower.address()));
                assertThat(taken.status()).as("the proof the tower defends").isEqualTo(200);
                return tower;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What the tower held after the last input: a refusal leaves it as it was, so it is the next input's "before". */
    private static List<TowerEntry> lastHeld;
    private static long inputs;

    @FuzzTest(maxDuration = "30s")
    void aRefusedBodyChangesNothing(byte[] input) {
        TowerHarness tower = Running.TOWER;
        boolean restore = input.length > 0 && (input[0] & 1) == 1;
        byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        List<TowerEntry> before = lastHeld != null ? lastHeld : held(tower);

        KeepAliveClient.Answer answer = Running.HTTP.post(restore ? "/v1/restore" : "/v1/proofs", body);
        TowerHarness.Reply reply = new TowerHarness.Reply(answer.status(),
                JsonObjectReader.MAPPER.readTree(answer.body()));

        if (reply.status() == 200) {
            assertThat(reply.body().has(restore ? "proofs" : "receipt")).as(reply.body().toString()).isTrue();
            lastHeld = null;
            return;
        }
        assertThat(reply.code()).as("a refusal names its code: %s", reply.body()).isNotBlank().isNotEqualTo("internal");
        lastHeld = held(tower);
        assertThat(lastHeld).as("what the tower holds after %s", reply.code()).isEqualTo(before);
        if (inputs++ % Running.NONCE_EVERY == 0) {
            assertThat(sentOnChain()).as("transactions the tower sent").isEqualTo(Running.SENT);
        }
    }

    /** Transactions the tower's key has sent, mined or waiting in anvil's pool. */
    private static long sentOnChain() {
        KeepAliveClient.Answer answer = Running.ANVIL.post("/", Running.NONCE_QUESTION);
        return Long.decode(JsonObjectReader.parse(answer.body()).string("result"));
    }

    private static List<TowerEntry> held(TowerHarness tower) {
        return Arrays.stream(TowerPhase.values()).flatMap(phase -> tower.towers().listInPhase(phase).stream())
                .toList();
    }
}
