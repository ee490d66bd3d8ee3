package io.turnpike.node.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.node.channel.PeerChannels;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerDelta;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.LedgerStore;
import io.turnpike.store.StoreWrite;
import java.util.List;
import java.util.Optional;

/**
 * Pays a paywall request from this node's channel to the paywall's owner: the proof is signed and written down by
 * the channel's owner, on the provider's executor ({@link PeerChannels#payOutOfBand}), before it leaves in the
 * request — in one commit with the ledger's {@code used} of {@value PaywallService.NAME}, counted as what the proof
 * pays, and the day's spending. Once the paywall has said what the request cost, a {@code used} that differs is
 * corrected, and the node's buying side, when it runs, counts it as used and the proof as paid.
 */
public final class ChannelPurse {

    private final Peers peers;
    private final LedgerStore ledger;
    private final Address token;
    private final Optional<PaymentEngine> buying;

    /**
     * @param token the node's asset, the only one its channels hold
     * @param buying the running node's buying side; empty when the node is not running
     */
    public ChannelPurse(Peers peers, LedgerStore ledger, Address token, Optional<PaymentEngine> buying) {
        this.peers = peers;
        this.ledger = ledger;
        this.token = token;
        this.buying = buying;
    }

    /** Whether a channel to {@code provider} is open and can pay {@code price} now. */
    boolean canPay(Address provider, Amount price) {
        Peer peer = peers.of(provider);
        return peer.await(() -> payable(peer.channels(), price).isPresent());
    }

    /**
     * Pays {@code amount} to {@code provider} through the newest open channel that can, written down first with
     * {@code spent} (the day's spending) and the ledger's {@code used} in one commit; empty when none can (none open,
     * or too little left in it), and then nothing is written.
     *
     * @throws io.turnpike.core.TurnpikeException {@code spending_cap_exceeded} from {@code spent}; nothing written
     */
    Optional<Signed<BalanceProof>> pay(Address provider, Amount amount, StoreWrite spent) {
        Peer peer = peers.of(provider);
        StoreWrite used = ledger.adjustment(key(provider), LedgerDelta.NONE.withUsed(amount.value()), List.of());
        return peer.await(() -> payable(peer.channels(), amount)
                .map(channel -> peer.channels().payOutOfBand(channel.channelId(), amount, List.of(spent, used))));
    }

    /**
     * Books a request paid with {@code paid} by {@link #pay} that cost {@code used}, as the paywall said: the ledger,
     * which counted {@code paid}, is corrected if that differs.
     */
    void booked(Address provider, Amount used, Amount paid) {
        Peer peer = peers.of(provider);
        peer.await(() -> {
            correct(provider, used, paid);
            buying.ifPresent(engine -> engine.paidInRequest(provider, PaywallService.NAME, used, paid));
            return null;
        });
    }

    /**
     * A proof {@link #pay} signed for {@code paid} that the paywall refused: nothing was used, and the ledger stops
     * counting it. The proof stays signed; the next one, cumulative, carries it, and the paywall keeps it as credit.
     */
    void refused(Address provider, Amount paid) {
        peers.of(provider).await(() -> {
            correct(provider, Amount.ZERO, paid);
            return null;
        });
    }

    private void correct(Address provider, Amount used, Amount counted) {
        if (!used.equals(counted)) {
            ledger.adjust(key(provider), LedgerDelta.NONE.withUsed(used.value().subtract(counted.value())));
        }
    }

    private LedgerKey key(Address provider) {
        return new LedgerKey(provider, token, Debtor.US);
    }

    private Optional<Channel> payable(PeerChannels channels, Amount price) {
        return channels.open(Role.A).filter(c -> c.token().equals(token) && !c.spendable().isLessThan(price));
    }
}
