package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A provider's mailboxes: the sealed envelopes delivered to each owner, what they add up to, the nonces of the
 * owners' signed requests, and each owner's public key. Every write is durable when the call returns, and runs in
 * the store's one committer, so a check and the write it guards (the quota, a nonce) are one atomic step.
 */
public interface MailboxStore {

    /** The mailboxes in {@code store}'s database; {@code clock} stamps when each envelope arrived. */
    static MailboxStore of(Store store, Clock clock) {
        return new JdbcMailboxStore(store.reads(), store.committer(), clock);
    }

    /**
     * Stores {@code envelope} for {@code owner} if the mailbox then holds at most {@code quotaBytes}.
     *
     * @return the envelope's id, greater than every id the mailbox gave before; empty if it was over the quota and
     *     nothing was stored
     */
    OptionalLong deliver(Address owner, byte[] envelope, long quotaBytes);

    /** At most {@code limit} envelopes of {@code owner} with an id above {@code afterId}, oldest first. */
    List<StoredEnvelope> after(Address owner, long afterId, int limit);

    /** Deletes {@code owner}'s envelopes with an id up to {@code throughId}; returns how many there were. */
    int deleteThrough(Address owner, long throughId);

    /** Deletes {@code owner}'s envelopes that arrived before {@code cutoff}: their retention ran out. */
    int deleteReceivedBefore(Address owner, Instant cutoff);

    /** Deletes everything {@code owner}'s mailbox holds; its ids go on from where they were. */
    int erase(Address owner);

    MailboxUsage usage(Address owner);

    /** Owners whose mailbox holds at least one envelope. */
    List<Address> nonEmpty();

    /**
     * Takes a signed request of {@code owner}'s: records its {@code nonce} until {@code expiry} (unix seconds) and
     * {@code key} as the owner's public key, unless the nonce was already used.
     *
     * @return false for a nonce used before (a replay): nothing is changed then
     */
    boolean claimRequest(Address owner, PublicKey key, Bytes32 nonce, long expiry);

    /**
     * {@link #claimRequest} for a request that changes nothing (a fetch): a replay is refused at once as there, but the
     * nonce and key are written in the next group commit rather than waited for, so the request does not wait for a
     * commit of its own. A crash before that commit forgets the nonce, and the same fetch could be answered again
     * until it expires: with the ciphertext it was answered with the first time.
     *
     * @return false for a nonce used before (a replay)
     */
    boolean claimReadRequest(Address owner, PublicKey key, Bytes32 nonce, long expiry);

    /** Forgets nonces of requests that expired before {@code unixSeconds}: those are refused by their expiry. */
    int forgetNoncesExpiredBefore(long unixSeconds);

    /** {@code owner}'s public key, once one of its signed requests was taken. */
    Optional<PublicKey> key(Address owner);
}
