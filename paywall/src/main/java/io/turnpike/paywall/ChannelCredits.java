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

    /**
     * What a proof paid, holding the request's maximum against the payer's credit until {@link #book} says what the
     * request cost.
     *
     * @param channel the channel it paid through
     * @param payer its signer
     * @param credited what it added to the channel's last credited total
     * @param held the maximum held for the request
     */
    record Credit(ChannelRef channel, Address payer, Amount credited, Amount held) {
    }

    /**
     * Verifies {@code proof} against the channel it names — a channel in {@code asset} that pays this provider, open,
     * signed by the partner, newer than the last proof credited, within what the partner's side holds — and, if what
     * it adds with the partner's credit (less what its requests in progress hold) covers {@code maximum}, takes it as
     * the channel's newest, atomically with every other proof of that channel, and holds {@code maximum} until
     * {@link #book}, which writes it down. Otherwise it takes nothing.
     *
     * @throws io.turnpike.core.TurnpikeException {@code unknown_channel} (not this provider's, or another chain or
     *     contract), {@code wrong_signer}, {@code channel_not_open}, {@code stale_proof}, {@code transfer_decreased},
     *     {@code insufficient_capacity}, {@code payment_mismatch} (another asset) or {@code payment_insufficient}
     *     (adds, with the credit, less than the maximum)
     */
    Credit credit(ChannelRef channel, Signed<BalanceProof> proof, Address asset, Amount maximum);

    /**
     * Books what the request of {@code credit} cost, {@code used} (at most what it held), in the payer's debt, and
     * writes it down with the proof {@link #credit} took, in one commit, before returning; then lets go of the hold:
     * the rest of what the proof paid stays the payer's credit. Called once per credit, whatever the backend did, and
     * before any of the answer leaves.
     *
     * @return the payer's credit now, less what its other requests in progress hold
     */
    Amount book(Credit credit, Amount used);
}
