package io.turnpike.tower;

import static io.turnpike.chain.ChannelFixture.ether;
import static io.turnpike.tower.Uploads.restore;
import static io.turnpike.tower.Uploads.upload;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.MutableClock;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A node that lost its disk gets back, by signing with its key, the newest proofs the tower holds for it. */
@ExtendWith(AnvilExtension.class)
class RestoreTest {

    private static final Amount REWARD = Amount.of(5_000);

    @Test
    void aNodeGetsBackExactlyItsOwnNewestProofsAndTheyStillVerify(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long ether = f.openEther(ether(10), ether(1));
            long token = f.openToken(ether(10), ether(1));
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, ether, 1, ether(1), REWARD, tower.address()));
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, ether, 2, ether(2), REWARD, tower.address()));
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, token, 7, ether(5), REWARD, tower.address()));
            // Alice guards herself too, with Bob's proof: not Bob's to restore.
            tower.post("/v1/proofs", upload(f, f.bobKey, f.aliceKey, ether, 4, ether(1), REWARD, tower.address()));

            TowerHarness.Reply restored = tower.post("/v1/restore",
                    restore(f, f.bob.address(), clock.instant().getEpochSecond(), f.bobKey));

            assertThat(restored.status()).isEqualTo(200);
            List<Signed<BalanceProof>> proofs = new ArrayList<>();
            for (JsonNode item : restored.body().get("proofs")) {
                Signed<BalanceProof> proof = proof(item.get("proof"));
                Amount reward = Amount.of(new BigInteger(item.get("request").get("reward").asString()));
                Signed<MonitorRequest> request = new Signed<>(new MonitorRequest(proof.message().channelId(),
                        proof.message().nonce(), proof.message().transferred(), reward, tower.address()),
                        Signature.fromHex(item.get("request").get("signature").asString()));
                assertThat(proof.isSignedBy(f.alice.address(), f.domain())).isTrue();
                assertThat(request.isSignedBy(f.bob.address(), f.domain())).isTrue();
                proofs.add(proof);
            }
            assertThat(proofs).extracting(Signed::message).containsExactly(
                    new BalanceProof(ether, 2, ether(2)), new BalanceProof(token, 7, ether(5)));
        }
    }

    @Test
    void aStaleOrForeignRestoreRequestIsRefused(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ether(10), ether(1));
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 1, ether(1), REWARD, tower.address()));
            long now = clock.instant().getEpochSecond();

            TowerHarness.Reply stale = tower.post("/v1/restore", restore(f, f.bob.address(), now - 61, f.bobKey));
            TowerHarness.Reply early = tower.post("/v1/restore", restore(f, f.bob.address(), now + 61, f.bobKey));
            String seen = restore(f, f.bob.address(), now, f.bobKey);
            TowerHarness.Reply answered = tower.post("/v1/restore", seen);
            TowerHarness.Reply replayed = tower.post("/v1/restore", seen);
            TowerHarness.Reply foreign = tower.post("/v1/restore", restore(f, f.bob.address(), now, f.aliceKey));
            TowerHarness.Reply malformed = tower.post("/v1/restore", "{\"node\":\"" + f.bob.address() + "\"}");

            assertThat(List.of(stale.status(), stale.code())).containsExactly(401, "stale_request");
            assertThat(List.of(early.status(), early.code())).containsExactly(401, "stale_request");
            assertThat(List.of(foreign.status(), foreign.code())).containsExactly(403, "wrong_signer");
            assertThat(answered.status()).isEqualTo(200);
            assertThat(List.of(replayed.status(), replayed.code())).as("a request seen going by, sent again")
                    .containsExactly(401, "stale_request");
            assertThat(replayed.body().has("proofs")).isFalse();
            assertThat(List.of(malformed.status(), malformed.code())).containsExactly(400, "malformed_body");
            assertThat(foreign.body().has("proofs")).isFalse();
        }
    }

    private static Signed<BalanceProof> proof(JsonNode json) {
        return new Signed<>(new BalanceProof(Long.parseLong(json.get("channelId").asString()),
                Long.parseLong(json.get("nonce").asString()), Amount.of(new BigInteger(json.get("transferred")
                .asString()))), Signature.fromHex(json.get("signature").asString()));
    }
}
