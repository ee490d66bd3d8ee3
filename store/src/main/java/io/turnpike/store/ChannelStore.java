package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import java.util.List;
import java.util.Optional;

/** The channels this node takes part in. Every write is durable when the call returns. */
public interface ChannelStore {

    /**
     * Inserts the channel, or replaces what is stored for it. Proofs never move backwards: a proof with
     * a nonce no higher than the stored one is ignored, so writing back a stale copy loses no payment.
     */
    void put(Channel channel);

    Optional<Channel> get(ChannelRef ref);

    List<Channel> list();

    List<Channel> listByPartner(Address partner);

    List<Channel> listOpen();

    /**
     * Keeps {@code proof} as the newest for {@code direction} only if its nonce is higher than the
     * stored one, atomically. The caller has checked the signature; the store keeps what it is given.
     *
     * @return whether it was kept
     * @throws StoreException {@link StoreException.Code#UNKNOWN_CHANNEL} if the channel was never put
     */
    boolean recordProof(ChannelRef ref, Direction direction, Signed<BalanceProof> proof);
}
