package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.Signed;

/**
 * The channels a provider is paid through, as the {@value PaymentRequirements#CHANNEL} scheme needs them: the node
 * implements it over its own channels and store. A proof is cumulative, so what a request pays is what its proof
 * adds to the last one credited.
 */
public interface ChannelCredits {

    /** What a proof paid: its signer, and what it added to the channel's last credited total. */
    record Credit(Address payer, Amount credited) {
    }

    /**
     * Verifies {@code proof} against the channel it names — a channel in {@code asset} that pays this provider, open,
     * signed by the partner, newer than the last proof credited, within what the partner's side holds — and, if it
     * adds at least {@code price}, records it as the channel's newest before returning, durably and atomically with
     * every other proof of that channel. Otherwise it records nothing.
     *
     * @throws io.turnpike.core.TurnpikeException {@code unknown_channel} (not this provider's, or another chain or
     *     contract), {@code wrong_signer}, {@code channel_not_open}, {@code stale_proof}, {@code transfer_decreased},
     *     {@code insufficient_capacity}, {@code payment_mismatch} (another asset) or {@code payment_insufficient}
     *     (adds less than the price)
     */
    Credit credit(ChannelRef channel, Signed<BalanceProof> proof, Address asset, Amount price);
}
