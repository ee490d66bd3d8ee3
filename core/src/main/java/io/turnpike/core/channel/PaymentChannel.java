package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One channel as one participant sees it off chain: the on-chain totals it knows, the newest proof it
 * signed (what it has paid) and the newest proof its partner signed (what it has received). Immutable:
 * every transition returns the next state, which the caller persists before anything leaves the process.
 *
 * @param sent the newest proof this participant signed, if it has paid anything
 * @param received the newest proof the partner signed, if it has received anything
 */
public record PaymentChannel(
        long channelId,
        Eip712Domain domain,
        Address self,
        Address partner,
        ChannelStatus status,
        Amount ownDeposit,
        Amount ownWithdrawn,
        Amount partnerDeposit,
        Amount partnerWithdrawn,
        Optional<Signed<BalanceProof>> sent,
        Optional<Signed<BalanceProof>> received) {

    public PaymentChannel {
        ChannelFields.requireChannelId(channelId);
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(partner, "partner");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(ownDeposit, "ownDeposit");
        Objects.requireNonNull(ownWithdrawn, "ownWithdrawn");
        Objects.requireNonNull(partnerDeposit, "partnerDeposit");
        Objects.requireNonNull(partnerWithdrawn, "partnerWithdrawn");
        Objects.requireNonNull(sent, "sent");
        Objects.requireNonNull(received, "received");
    }

    /** A freshly opened channel: deposits known, nothing paid either way. */
    public static PaymentChannel opened(long channelId, Eip712Domain domain, Address self, Address partner,
                                        Amount ownDeposit, Amount partnerDeposit) {
        return new PaymentChannel(channelId, domain, self, partner, ChannelStatus.OPEN, ownDeposit, Amount.ZERO,
                partnerDeposit, Amount.ZERO, Optional.empty(), Optional.empty());
    }

    /** Everything this participant has paid its partner in this channel. */
    public Amount sentTotal() {
        return sent.map(p -> p.message().transferred()).orElse(Amount.ZERO);
    }

    /** Everything the partner has paid this participant in this channel. */
    public Amount receivedTotal() {
        return received.map(p -> p.message().transferred()).orElse(Amount.ZERO);
    }

    public long sentNonce() {
        return sent.map(p -> p.message().nonce()).orElse(0L);
    }

    public long receivedNonce() {
        return received.map(p -> p.message().nonce()).orElse(0L);
    }

    /** What this participant can still pay: its deposit less withdrawals, plus what it received, less what it sent. */
    public Amount spendable() {
        return ownDeposit.plus(receivedTotal()).saturatingMinus(ownWithdrawn.plus(sentTotal()));
    }

    /** What the partner can still pay this participant. */
    public Amount partnerSpendable() {
        return partnerDeposit.plus(sentTotal()).saturatingMinus(partnerWithdrawn.plus(receivedTotal()));
    }

    /** The result of paying: the next state and the proof to send. */
    public record Payment(PaymentChannel channel, Signed<BalanceProof> proof) {
    }

    /** The result of receiving: the next state and how much more the partner has now paid. */
    public record Receipt(PaymentChannel channel, Amount credited) {
    }

    /** Signs the next proof, paying {@code amount} more than everything sent so far. */
    public Payment pay(Amount amount, PrivateKey key) {
        requireOpen();
        if (amount.isGreaterThan(spendable())) {
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "cannot pay " + amount + " in channel "
                    + channelId + ": only " + spendable() + " is spendable; deposit more or pay less");
        }
        BalanceProof next = new BalanceProof(channelId, sentNonce() + 1, sentTotal().plus(amount));
        Signed<BalanceProof> proof = Signed.sign(next, domain, key);
        return new Payment(withSent(proof), proof);
    }

    /**
     * Accepts the partner's proof if it supersedes the one held. A replayed, duplicated or reordered proof
     * (nonce not above the newest), one signed by anyone else or for another channel, one whose total
     * shrinks, or one the partner's side cannot cover is refused with a stable code, and nothing changes.
     */
    public Receipt receive(Signed<BalanceProof> proof) {
        BalanceProof p = proof.message();
        if (p.channelId() != channelId) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                    "proof is for channel " + p.channelId() + ", not " + channelId);
        }
        requireOpen();
        if (!proof.isSignedBy(partner, domain)) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER,
                    "proof for channel " + channelId + " is not signed by the partner " + partner);
        }
        if (p.nonce() <= receivedNonce()) {
            throw new TurnpikeException(ErrorCode.STALE_PROOF, "proof nonce " + p.nonce()
                    + " does not supersede the newest held, " + receivedNonce() + "; nothing changed");
        }
        Amount previous = receivedTotal();
        if (p.transferred().isLessThan(previous)) {
            throw new TurnpikeException(ErrorCode.TRANSFER_DECREASED, "proof pays " + p.transferred()
                    + " in total, less than the " + previous + " already proven");
        }
        Amount credited = p.transferred().minus(previous);
        if (credited.isGreaterThan(partnerSpendable())) {
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_CAPACITY, "proof pays " + credited + " more, but the "
                    + "partner's side of channel " + channelId + " holds only " + partnerSpendable());
        }
        return new Receipt(withReceived(proof), credited);
    }

    /** The on-chain totals changed (a deposit or withdrawal was confirmed). */
    public PaymentChannel withTotals(Amount ownDeposit, Amount ownWithdrawn, Amount partnerDeposit,
                                     Amount partnerWithdrawn) {
        return new PaymentChannel(channelId, domain, self, partner, status, ownDeposit, ownWithdrawn, partnerDeposit,
                partnerWithdrawn, sent, received);
    }

    public PaymentChannel withStatus(ChannelStatus next) {
        if (next.ordinal() < status.ordinal()) {
            throw new IllegalStateException("channel " + channelId + " cannot go from " + status + " back to " + next);
        }
        return new PaymentChannel(channelId, domain, self, partner, next, ownDeposit, ownWithdrawn, partnerDeposit,
                partnerWithdrawn, sent, received);
    }

    private PaymentChannel withSent(Signed<BalanceProof> proof) {
        return new PaymentChannel(channelId, domain, self, partner, status, ownDeposit, ownWithdrawn, partnerDeposit,
                partnerWithdrawn, Optional.of(proof), received);
    }

    private PaymentChannel withReceived(Signed<BalanceProof> proof) {
        return new PaymentChannel(channelId, domain, self, partner, status, ownDeposit, ownWithdrawn, partnerDeposit,
                partnerWithdrawn, sent, Optional.of(proof));
    }

    private void requireOpen() {
        if (status != ChannelStatus.OPEN) {
            throw new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN,
                    "channel " + channelId + " is " + status + "; open a new channel to keep paying");
        }
    }
}
