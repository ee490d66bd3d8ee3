package io.turnpike.node.tower;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.channel.ChannelChain;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.store.ChannelStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code turnpike node --restore-from-tower}: a node that lost its database asks each configured watchtower for the
 * proofs it holds for it, and rebuilds those channels from them and the chain before it serves, so that a partner's
 * stale close is answered and the channels settle with the right balances. Only what checks out is written: a proof
 * the partner signed, for a channel of this node that the chain shows open or closing.
 */
public final class TowerRestore {

    private static final Logger LOG = LoggerFactory.getLogger(TowerRestore.class);

    private TowerRestore() {
    }

    /**
     * @return the channels rebuilt, as stored afterwards, by channel id
     * @throws TurnpikeException {@code config.setting_missing} without towers; {@code tower.restore_failed} if no tower
     *     answered
     */
    public static List<Channel> restore(List<NodeConfig.Tower> towers, ChannelChain chain, ChannelStore store,
                                        Eip712Domain domain, PrivateKey key, Clock clock) {
        if (towers.isEmpty()) {
            throw new TurnpikeException(ErrorCode.SETTING_MISSING, "--restore-from-tower asks the watchtowers in "
                    + "turnpike.towers for this node's proofs, and none is set; add the towers this node used and run "
                    + "again.");
        }
        SortedSet<Long> restored = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            for (NodeConfig.Tower tower : towers) {
                Signed<RestoreRequest> request = Signed.sign(
                        new RestoreRequest(key.address(), clock.instant().getEpochSecond()),
                        domain, key);
                List<Signed<BalanceProof>> proofs;
                try {
                    proofs = new TowerClient(tower, http).restore(request);
                } catch (IOException e) {
                    // A refused connection has no message of its own.
                    failures.add(tower.url() + ": " + Objects.requireNonNullElse(e.getMessage(), e.toString()));
                    continue;
                } catch (TurnpikeException e) {
                    failures.add(tower.url() + ": [" + e.code() + "] " + e.getMessage());
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TurnpikeException(ErrorCode.TOWER_RESTORE_FAILED,
                            "interrupted while restoring from " + tower.url() + "; run again.");
                }
                // Each proof is checked on its own; the store keeps the newest of several towers' copies.
                for (Signed<BalanceProof> proof : proofs) {
                    try {
                        ChannelRef ref = new ChannelRef(domain.chainId(), domain.verifyingContract(),
                                proof.message().channelId());
                        Channel channel = chain.restore(proof, store.get(ref));
                        // Before the node serves, so before any peer owns the channel: written down directly.
                        store.put(channel);
                        restored.add(channel.channelId());
                        LOG.info("channel {} with {} restored from {}: nonce {}, {} received", proof.message().channelId(),
                                channel.partner(), tower.url(), proof.message().nonce(), proof.message().transferred());
                    } catch (TurnpikeException e) {
                        LOG.warn("watchtower {} returned a proof for channel {} that does not check out, skipped: {}",
                                tower.url(), proof.message().channelId(), e.getMessage());
                    }
                }
            }
        }
        if (failures.size() == towers.size()) {
            throw new TurnpikeException(ErrorCode.TOWER_RESTORE_FAILED, "no watchtower answered the restore: "
                    + String.join("; ", failures) + ". Check turnpike.towers and that the towers run, then run again.");
        }
        failures.forEach(failure -> LOG.warn("watchtower not restored from: {}", failure));
        return restored.stream().map(id -> store.get(new ChannelRef(domain.chainId(), domain.verifyingContract(), id))
                .orElseThrow()).toList();
    }
}
