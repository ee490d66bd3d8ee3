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
     * The channel settled in {@code block}: its entries are no longer listed and, if the tower was paid, the reward
     * is recorded, in one step. Repeating it (an event delivered again) changes nothing. The entries stay, hidden,
     * until {@link #purgeSettled} — a re-org may yet take the settlement back ({@link #unsettle}).
     */
    void settled(long channelId, long block, Optional<TowerReward> reward);

    /**
     * A re-org replaced the blocks from {@code fromBlock} on: settlements seen there are undone — their channels'
     * entries are listed again and their rewards removed — in one step.
     *
     * @return the channels whose settlement was undone
     */
    List<Long> unsettle(long fromBlock);

    /** Deletes the entries of channels settled before {@code block}: deeper than any re-org the tower repairs. */
    void purgeSettled(long block);

    Optional<TowerReward> reward(long channelId);

    /** Every reward recorded in {@code token}, exactly. */
    Amount rewardsEarned(Address token);
}
