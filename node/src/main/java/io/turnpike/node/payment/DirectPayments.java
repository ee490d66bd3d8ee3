package io.turnpike.node.payment;

import io.turnpike.core.TurnpikeException;
import io.turnpike.core.ErrorCode;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.tx.SubmittedTx;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.protocol.PeerMessage.Statement;
import io.turnpike.protocol.PeerMessage.Transfer;
import io.turnpike.store.SentTransfer;
import io.turnpike.store.StoredTx;
import io.turnpike.store.TransferStore;
import io.turnpike.store.TxStatus;
import io.turnpike.store.TxStore;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays providers without a channel (settlement = "direct"): each payment the policy calls for is one plain
 * on-chain transfer to the provider — ether, or the token's {@code transfer} — sent through the transaction
 * manager. Once it counts on chain the provider is sent a {@code transfer} naming it, and again after every
 * reconnect, until the provider's statement counts it as paid. One payment in flight per provider.
 *
 * <p>Every step is written down ({@link SentTransfer.State}) before the next can happen, so a restart picks a
 * payment up where it was. A payment written down as prepared, with no transaction known, is looked for among
 * the transactions the manager is still sending, by the payment id in its purpose: the crash may have come
 * between the manager recording the transaction and this class recording its hash.
 */
public final class DirectPayments {

    private static final Logger LOG = LoggerFactory.getLogger(DirectPayments.class);
    private static final String PURPOSE = "direct.pay ";

    private final TransactionManager transactions;
    private final TxStore sentTransactions;
    private final TransferStore store;
    private final Asset asset;
    private final Clock clock;
    private final Executor background;
    /** The payment in flight to each provider; its state changes only on that provider's executor. */
    private final Map<Address, Payment> inFlight = new ConcurrentHashMap<>();

    private static final class Payment {
        SentTransfer transfer;
        final CompletableFuture<Amount> acknowledged = new CompletableFuture<>();

        Payment(SentTransfer transfer) {
            this.transfer = transfer;
        }
    }

    public DirectPayments(TransactionManager transactions, TxStore sentTransactions, TransferStore store, Asset asset,
                          Clock clock, Executor background) {
        this.transactions = transactions;
        this.sentTransactions = sentTransactions;
        this.store = store;
        this.asset = asset;
        this.clock = clock;
        this.background = background;
    }

    /** Everything {@code provider} has acknowledged as paid directly. */
    Amount acknowledged(Address provider) {
        return store.sentAcknowledged(provider, asset.token());
    }

    /** Takes up the unfinished payment to {@code provider} after a start, if there is one; returns what it has in flight. */
    Amount resume(Address provider) {
        for (SentTransfer unfinished : store.listSentUnfinished()) {
            if (!unfinished.peer().equals(provider) || !unfinished.token().equals(asset.token())) {
                continue;
            }
            SentTransfer current = unfinished.state() == SentTransfer.State.PREPARED ? recorded(unfinished) : unfinished;
            store.putSent(current);
            if (current.state() != SentTransfer.State.FAILED) {
                LOG.info("resuming the direct payment of {} to {} ({})", asset.format(current.amount()), provider,
                        current.state());
                inFlight.put(provider, new Payment(current));
                return current.amount();
            }
        }
        return Amount.ZERO;
    }

    boolean isPaying(Address provider) {
        return inFlight.containsKey(provider);
    }

    /**
     * Pays {@code amount} to the link's provider on chain, unless a payment to it is in flight already; returns
     * the future of the provider's acknowledgement.
     */
    CompletableFuture<Amount> pay(ProviderLink link, Amount amount) {
        Payment current = inFlight.get(link.provider());
        if (current != null) {
            return current.acknowledged;
        }
        Payment payment = new Payment(SentTransfer.prepared(link.provider(), asset.token(), amount));
        store.putSent(payment.transfer);
        inFlight.put(link.provider(), payment);
        link.debt = link.debt.sending(amount, clock.instant());
        // Simulating and sending talk to the chain: never on the provider's executor.
        background.execute(() -> submit(link, payment));
        return payment.acknowledged;
    }

    private void submit(ProviderLink link, Payment payment) {
        SentTransfer prepared = payment.transfer;
        try {
            String purpose = PURPOSE + prepared.paymentId();
            SubmittedTx tx = asset.isEther()
                    ? transactions.submit(link.provider(), prepared.amount(), "0x", purpose, null)
                    : transactions.submit(asset.token(), Amount.ZERO,
                    Erc20.transferCall(link.provider(), prepared.amount()), purpose, null);
            LOG.info("paying {} directly to {} in transaction {}", asset.format(prepared.amount()), link.provider(),
                    tx.hash());
            SentTransfer submitted = prepared.submitted(tx.hashes().getFirst());
            link.peer.executor().execute(() -> move(link, payment, submitted));
        } catch (RuntimeException e) {
            LOG.warn("the direct payment of {} to {} may not have been sent: {}", asset.format(prepared.amount()),
                    link.provider(), e.getMessage());
            try {
                // Usually nothing was recorded (a refused simulation, an unreachable chain); the question a restart
                // asks tells that from a failure after the manager wrote the transaction down.
                SentTransfer known = recorded(prepared);
                link.peer.executor().execute(() -> move(link, payment, known));
            } catch (RuntimeException again) {
                LOG.error("the direct payment of {} to {} stays in flight until the node restarts and looks again: {}",
                        asset.format(prepared.amount()), link.provider(), again.getMessage());
            }
        }
    }

    /** A prepared payment's transaction, if the manager recorded it and is still sending it; else it failed unsent. */
    private SentTransfer recorded(SentTransfer prepared) {
        return sentTransactions.listNonFinal().stream()
                .filter(stored -> stored.tx().sender().equals(transactions.address())
                        && stored.tx().purpose().equals(PURPOSE + prepared.paymentId()))
                .findFirst()
                .map(stored -> prepared.submitted(stored.tx().hash()))
                .orElseGet(prepared::failed);
    }

    /** Moves a submitted payment on once its transaction counted, or failed for good. On the provider's tick. */
    void advance(ProviderLink link) {
        Payment payment = inFlight.get(link.provider());
        if (payment == null || payment.transfer.state() != SentTransfer.State.SUBMITTED) {
            return;
        }
        outcome(payment.transfer).ifPresent(next -> move(link, payment, next));
    }

    /**
     * Where a submitted payment's transaction stands, from the manager's journal: confirmed by whichever version
     * counted (a fee replacement has another hash), failed once every version is final without one, else pending.
     */
    private Optional<SentTransfer> outcome(SentTransfer submitted) {
        boolean pending = false;
        for (Optional<Bytes32> hash = submitted.txHash(); hash.isPresent(); ) {
            StoredTx version = sentTransactions.findByHash(hash.get()).orElseThrow();
            if (version.status() == TxStatus.CONFIRMED) {
                return Optional.of(submitted.confirmed(version.tx().hash()));
            }
            pending |= !version.status().isFinal();
            hash = version.replacedBy();
        }
        return pending ? Optional.empty() : Optional.of(submitted.failed());
    }

    /** A (re)connected provider is told again of a payment it has not acknowledged. */
    void connected(ProviderLink link) {
        Payment payment = inFlight.get(link.provider());
        if (payment != null && payment.transfer.state() == SentTransfer.State.CONFIRMED) {
            tell(link, payment.transfer);
        }
    }

    /**
     * The provider acknowledges a transfer with a statement whose paid figure covers everything this node has
     * paid it, that transfer included; a refused one is answered with an error and stays in flight.
     */
    void stated(ProviderLink link, Statement statement) {
        Payment payment = inFlight.get(link.provider());
        if (payment == null || payment.transfer.state() != SentTransfer.State.CONFIRMED
                || statement.paid().isLessThan(link.debt.paid().plus(link.debt.inFlight()))) {
            return;
        }
        move(link, payment, payment.transfer.acknowledged());
    }

    /** Writes the payment's next state down, then acts on it; on the provider's executor. */
    private void move(ProviderLink link, Payment payment, SentTransfer next) {
        store.putSent(next);
        payment.transfer = next;
        switch (next.state()) {
            case ACKNOWLEDGED -> {
                inFlight.remove(link.provider(), payment);
                link.debt = link.debt.acknowledged();
            }
            case FAILED -> {
                inFlight.remove(link.provider(), payment);
                link.debt = link.debt.unacknowledged();
            }
            default -> {
            }
        }
        switch (next.state()) {
            case CONFIRMED -> tell(link, next);
            case ACKNOWLEDGED -> payment.acknowledged.complete(next.amount());
            case FAILED -> payment.acknowledged.completeExceptionally(new TurnpikeException(ErrorCode.TRANSACTION_FAILED, "the direct payment of "
                    + asset.format(next.amount()) + " to " + link.provider() + " was never confirmed on chain; it is owed again"));
            default -> {
            }
        }
    }

    private void tell(ProviderLink link, SentTransfer confirmed) {
        link.peer.send(new Transfer(confirmed.txHash().orElseThrow(), confirmed.amount(), asset));
    }
}
