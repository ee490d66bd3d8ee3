package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A watchtower's proofs and plans: per channel and non-closing participant only the newest proof, so
 * storage is O(1) per channel. Every write is durable when the call returns.
 */
public interface TowerStore {

    /**
     * Stores {@code upload} unless a proof with an equal or higher nonce is held for the same channel and
     * non-closer, in one atomic step: of concurrent uploads, in this process or another on the same
     * database, the highest nonce is what remains. A new entry starts WATCHING; a DONE one is SCHEDULED
     * again at its old moment, so the newer proof is judged against the chain.
     *
     * @return whether it was stored
     */
    boolean putIfNewer(TowerUpload upload);

    Optional<TowerEntry> get(long channelId, Address nonCloser);

    /** The entries of one channel: at most one per participant. */
    List<TowerEntry> listChannel(long channelId);

    /** Everything {@code nonCloser} uploaded, by channel: what a node gets back when it restores. */
    List<TowerEntry> listByNonCloser(Address nonCloser);

    /** Entries in {@code phase}, by channel. */
    List<TowerEntry> listInPhase(TowerPhase phase);

    /** SCHEDULED entries whose moment has come, earliest first. */
    List<TowerEntry> listDue(Instant now);

    /**
     * Moves an entry from {@code expected} to {@code next}, only if it is still in {@code expected}: the
     * compare-and-set that keeps a re-delivered event or a second round from acting twice.
     *
     * @return whether it moved
     */
    boolean transition(long channelId, Address nonCloser, TowerPhase expected, TowerWatch next);

    /**
     * The channel settled: deletes its entries and, if the tower was paid, records the reward, in one
     * step. Repeating it (an event delivered again) changes nothing.
     */
    void settled(long channelId, Optional<TowerReward> reward);

    Optional<TowerReward> reward(long channelId);

    /** Every reward recorded in {@code token}, exactly. */
    Amount rewardsEarned(Address token);
}
