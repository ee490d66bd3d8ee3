package io.turnpike.chain.market;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/** The events of TurnpikeMarket, typed. Each carries every field a watcher needs. */
public sealed interface MarketEvent {

    record ProviderRegistered(Address provider) implements MarketEvent {
    }

    /** The provider replaced its record; read it again with {@link MarketContract#provider}. */
    record ProviderUpdated(Address provider) implements MarketEvent {
    }

    record ProviderDeregistered(Address provider) implements MarketEvent {
    }

    record Staked(Address provider, Amount amount, Amount totalStake) implements MarketEvent {
    }

    /** {@code amount} zero cancels an earlier announcement (and {@code withdrawableAt} is then 0). */
    record UnstakeAnnounced(Address provider, Amount amount, long withdrawableAt) implements MarketEvent {
    }

    record StakeWithdrawn(Address provider, Address to, Amount amount) implements MarketEvent {
    }

    /**
     * {@code beneficiary}'s subscription to {@code provider}'s plan now runs until {@code expiresAt} (unix seconds);
     * {@code paid} went to the provider (or to its pull balance, see {@link TransferFailed}).
     */
    record Subscribed(Address subscriber, Address beneficiary, Address provider, long planId, long periods,
                      Amount paid, long expiresAt) implements MarketEvent {
    }

    /** An ether payment the provider refused; it waits in {@code failedTransfers} for {@code withdrawFailed}. */
    record TransferFailed(Address recipient, Amount amount) implements MarketEvent {
    }

    record FailedTransferWithdrawn(Address owner, Address to, Amount amount) implements MarketEvent {
    }
}
