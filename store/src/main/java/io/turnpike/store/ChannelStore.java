package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import java.util.List;
import java.util.Optional;

/**
 * The channels this node takes part in, as {@link Channel} moves them: {@link #put} is the persistence step of a
 * channel's transition and the only way a channel, or a proof, is written. Every write is durable when the call
 * returns.
 */
public interface ChannelStore {

    /**
     * Inserts the channel, or replaces what is stored for it. Proofs never move backwards: a proof with a nonce no
     * higher than the stored one is kept as stored, so even a stale copy written back loses no payment.
     */
    void put(Channel channel);

    /**
     * Like {@link #put(Channel)}, with {@code with} — the writes of other stores that the channel's change pays for,
     * the ledger's {@code used} say — in the same unit of the committer: one commit for all, and all or none stored.
     * A write of {@code with} that refuses (throws) leaves the channel as it was stored too.
     */
    void put(Channel channel, List<StoreWrite> with);

    Optional<Channel> get(ChannelRef ref);

    List<Channel> list();

    List<Channel> listByPartner(Address partner);
}
