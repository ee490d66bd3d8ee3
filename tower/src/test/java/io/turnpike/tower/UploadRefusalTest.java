package io.turnpike.tower;

import static io.turnpike.chain.ChannelFixture.ether;
import static io.turnpike.tower.Uploads.upload;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.rpc.RpcMetrics;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.JsonObjectReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad upload is refused with the documented status and code and a sentence saying what to do, stores
 * nothing and costs the tower no gas.
 */
@ExtendWith(AnvilExtension.class)
class UploadRefusalTest {

    private static final Amount ALICE_DEPOSIT = ether(10);
    private static final Amount BOB_DEPOSIT = ether(1);
    private static final Amount REWARD = Amount.of(1_000_000_000_000_000L);

    @Test
    void badUploadsAreRefusedWithTheirCodeAndChangeNothing(ChannelFixture f, @TempDir Path dir) {
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, TowerHarness.chainClock(f), dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            long settledId = settledChannel(f);
            PrivateKey stranger = f.anvil.devKeys().get(6);
            long towerTxs = tower.sentOnChain();
            Amount towerBalance = tower.balance();

            assertRefused(tower, 403, "wrong_signer", // the MonitorRequest signed by someone outside the channel
                    upload(f, f.aliceKey, stranger, id, 3, ether(3), REWARD, tower.address()));
            assertRefused(tower, 403, "wrong_signer", // Bob's own proof: it would credit Alice, not defend Bob
                    upload(f, f.bobKey, f.bobKey, id, 3, ether(3), REWARD, tower.address()));
            assertRefused(tower, 403, "wrong_signer", // a request naming another tower
                    upload(f, f.aliceKey, f.bobKey, id, 3, ether(3), REWARD, stranger.address()));
            assertRefused(tower, 404, "unknown_channel",
                    upload(f, f.aliceKey, f.bobKey, id + 1000, 3, ether(3), REWARD, tower.address()));
            assertRefused(tower, 409, "channel_settled",
                    upload(f, f.aliceKey, f.bobKey, settledId, 3, ether(3), REWARD, tower.address()));
            assertRefused(tower, 400, "reward_too_high", // more than the 11 ether the channel holds
                    upload(f, f.aliceKey, f.bobKey, id, 3, ether(3), ether(11).plus(Amount.of(1)), tower.address()));
            assertRefused(tower, 409, "stale_proof", // nonce 0 pays nothing: it cannot beat any close
                    upload(f, f.aliceKey, f.bobKey, id, 0, Amount.ZERO, REWARD, tower.address()));
            for (String malformed : malformedBodies(f, id, tower)) {
                assertRefused(tower, 400, "malformed_body", malformed);
            }
            assertRefused(tower, 400, "amount_out_of_range", // above 2^256 - 1: no uint256 holds it
                    upload(f, f.aliceKey, f.bobKey, id, 3, ether(3), REWARD, tower.address())
                            .replace("\"transferred\":\"3000000000000000000\"", "\"transferred\":\"1" + "0".repeat(78) + "\""));
            assertThat(tower.towers().listByNonCloser(f.bob.address())).isEmpty();
            assertThat(tower.towers().listByNonCloser(f.alice.address())).isEmpty();

            assertThat(tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 5, ether(3), ether(11),
                    tower.address())).status()).isEqualTo(200);
            assertRefused(tower, 409, "stale_proof", upload(f, f.aliceKey, f.bobKey, id, 5, ether(4), REWARD,
                    tower.address()));
            assertRefused(tower, 409, "stale_proof", upload(f, f.aliceKey, f.bobKey, id, 4, ether(4), REWARD,
                    tower.address()));
            assertThat(tower.towers().listByNonCloser(f.bob.address())).singleElement()
                    .satisfies(entry -> assertThat(entry.upload().nonce()).isEqualTo(5));

            tower.tick();
            assertThat(tower.sentOnChain()).isEqualTo(towerTxs);
            assertThat(tower.balance()).isEqualTo(towerBalance);
        }
    }

    @Test
    void uploadsForChannelsThatDoNotExistCostTheChainOneCountReadNotACallEach(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            AtomicInteger rpcCalls = new AtomicInteger();
            tower.chain().rpc().metrics(new RpcMetrics() {
                @Override
                public void answered(String endpoint, long nanos) {
                    rpcCalls.incrementAndGet();
                }
            });

            for (int madeUp = 1; madeUp <= 200; madeUp++) {
                assertRefused(tower, 404, "unknown_channel",
                        upload(f, f.aliceKey, f.bobKey, id + madeUp, 3, ether(3), REWARD, tower.address()));
            }
            assertThat(rpcCalls.get()).isEqualTo(1); // the channel count, read once

            long opened = f.openToken(ether(2), ether(1));
            clock.advance(ChannelDirectory.COUNT_REREAD);
            assertThat(tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, opened, 3, ether(1), REWARD,
                    tower.address())).status()).isEqualTo(200);
        }
    }

    @Test
    void infoNamesTheTowerAndUnknownPathsAndMethodsAreRefused(ChannelFixture f, @TempDir Path dir) {
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, TowerHarness.chainClock(f), dir)) {
            TowerHarness.Reply info = tower.get("/v1/info");
            assertThat(info.status()).isEqualTo(200);
            assertThat(JsonObjectReader.MAPPER.convertValue(info.body(), Map.class)).isEqualTo(Map.of(
                    "address", tower.address().toString(),
                    "chainId", 31337,
                    "contract", f.channels.address().toString()));

            TowerHarness.Reply missing = tower.get("/v1/channels");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.code()).isEqualTo("not_found");
            TowerHarness.Reply wrongMethod = tower.get("/v1/proofs");
            assertThat(wrongMethod.status()).isEqualTo(405);
            assertThat(wrongMethod.code()).isEqualTo("method_not_allowed");
            TowerHarness.Reply huge = tower.post("/v1/proofs", " ".repeat(HttpLimits.defaults().maxBodyBytes() + 1));
            assertThat(huge.status()).isEqualTo(413);
            assertThat(huge.code()).isEqualTo("body_too_large");
        }
    }

    private static List<String> malformedBodies(ChannelFixture f, long id, TowerHarness tower) {
        String good = upload(f, f.aliceKey, f.bobKey, id, 3, ether(3), REWARD, tower.address());
        return List.of(
                "not json",
                "[]",
                good + "{}",
                good.replace("\"nonce\":\"3\"", "\"nonce\":3"),
                good.replace("\"nonce\":\"3\"", "\"nonce\":\"-3\""),
                good.replace("\"nonce\":\"3\"", "\"nonce\":\"03\""),
                good.replace("\"channelId\":\"" + id + "\"", "\"channelId\":\"0\""),
                good.replace("\"channelId\":\"" + id + "\"", "\"channelId\":\"0x" + Long.toHexString(id) + "\""),
                good.replace("\"transferred\":\"3000000000000000000\"",
                        "\"transferred\":\"" + "9".repeat(39) + "\""), // above 2^128 - 1
                good.replace("\"reward\":", "\"reward\":\"1\",\"reward\":"),
                good.replace(",\"request\"", ",\"extra\":true,\"request\""),
                good.replace("\"request\":{", "\"request\":{\"monitor\":\"0x00\","),
                good.replaceFirst("\"signature\":\"0x[0-9a-f]+\"", "\"signature\":\"0x1234\""),
                good.replaceFirst("\"signature\":\"0x[0-9a-f]+\"", "\"signature\":\"0x" + "zz".repeat(65) + "\""),
                good.replaceFirst(",\"signature\":\"0x[0-9a-f]+\"", ""),
                "{\"proof\":{}}");
    }

    /** A channel opened and settled cooperatively, so the contract knows it as SETTLED. */
    private static long settledChannel(ChannelFixture f) {
        long id = f.openToken(ether(2), ether(1));
        f.channels.cooperativeSettle(f.outsider, id, ether(2), ether(1),
                f.settleSignature(f.aliceKey, id, ether(2), ether(1)),
                f.settleSignature(f.bobKey, id, ether(2), ether(1)));
        return id;
    }

    private static void assertRefused(TowerHarness tower, int status, String code, String body) {
        TowerHarness.Reply reply = tower.post("/v1/proofs", body);
        assertThat(reply.status()).as("status for %s", body).isEqualTo(status);
        assertThat(reply.code()).as("code for %s", body).isEqualTo(code);
        assertThat(reply.body().path("message").asString()).isNotBlank();
    }
}
