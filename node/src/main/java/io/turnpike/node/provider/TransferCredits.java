package io.turnpike.node.provider;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.protocol.PeerMessage.Transfer;
import io.turnpike.store.BlockRef;
import io.turnpike.store.ReceivedTransfer;
import io.turnpike.store.TransferStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Direct payments from clients without a channel: a {@code transfer} names a transaction, and it is credited only
 * when the chain shows that transaction succeeded, was sent by that client, pays this node exactly the stated
 * amount of this node's asset, and is {@code confirmations} deep on the canonical chain — and only once, ever:
 * the transaction is written down before the credit is acknowledged, and one written down before is refused.
 *
 * <p>A transfer whose transaction is not deep enough yet is held and checked again on every accounting tick.
 * Held transfers live in memory only: a client names its unacknowledged transfer again whenever it reconnects,
 * so a restart of this node loses none.
 */
public final class TransferCredits {

    private static final Logger LOG = LoggerFactory.getLogger(TransferCredits.class);
    /** A client has one payment in flight; beyond a few held for one client, the oldest is let go. */
    private static final int HELD_PER_CLIENT = 4;

    private final Chain chain;
    private final TransferStore store;
    private final Address self;
    private final Asset asset;
    private final int confirmations;
    /**
     * Transfers waiting to be deep enough, oldest first; guarded by itself, because each client's transfer is
     * checked on a background task of its own while the accounting tick rechecks the held ones on another.
     */
    private final Set<Held> held = new LinkedHashSet<>();

    private record Held(Address client, Transfer transfer) {
    }

    public TransferCredits(Chain chain, TransferStore store, Address self, Asset asset, int confirmations) {
        this.chain = chain;
        this.store = store;
        this.self = self;
        this.asset = asset;
        this.confirmations = confirmations;
    }

    /**
     * A client's transfer: written down and returned if its transaction counts now; empty while it is held,
     * not deep enough yet.
     *
     * @throws TurnpikeException {@code transfer_seen} for a transaction credited before, {@code transfer_mismatch}
     *     for one that does not pay as stated; nothing is credited then
     */
    Optional<ReceivedTransfer> received(Address client, Transfer transfer) {
        if (!transfer.asset().token().equals(asset.token())) {
            throw mismatch(transfer, "is in " + transfer.asset().symbol() + ", but this node is paid in " + asset.symbol());
        }
        if (transfer.amount().isZero()) {
            throw mismatch(transfer, "states an amount of 0");
        }
        if (store.received(transfer.txHash()).isPresent()) {
            throw seen(transfer.txHash());
        }
        Held named = new Held(client, transfer);
        Optional<ReceivedTransfer> counted = verify(client, transfer);
        if (counted.isEmpty()) {
            hold(named);
            return Optional.empty();
        }
        release(named); // named again after it was held: credited now, not again at the next tick
        return Optional.of(credit(counted.get()));
    }

    /** The held transfers whose transactions now count, each written down; those now refused are let go. */
    List<ReceivedTransfer> recheck() {
        List<Held> waiting;
        synchronized (held) {
            waiting = List.copyOf(held);
        }
        List<ReceivedTransfer> credited = new ArrayList<>();
        for (Held h : waiting) {
            try {
                Optional<ReceivedTransfer> counted = verify(h.client(), h.transfer());
                if (counted.isPresent()) {
                    release(h);
                    credited.add(credit(counted.get()));
                }
            } catch (TurnpikeException e) {
                release(h);
                LOG.warn("a transfer {} held for {} is refused: [{}] {}", h.transfer().txHash(), h.client(), e.code(),
                        e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("checking transfer {} of {} failed ({}); it is checked again", h.transfer().txHash(),
                        h.client(), e.getMessage());
            }
        }
        return credited;
    }

    /** Everything credited to {@code client} by direct transfers. */
    Amount creditedTotal(Address client) {
        return store.receivedTotal(client, asset.token());
    }

    /** Written down first, so the primary key, not a read before it, refuses a transaction named twice at once. */
    private ReceivedTransfer credit(ReceivedTransfer transfer) {
        if (!store.credit(transfer)) {
            throw seen(transfer.txHash());
        }
        LOG.info("credited {} to {} for transaction {}", asset.format(transfer.amount()), transfer.peer(),
                transfer.txHash());
        return transfer;
    }

    /** What the chain says now: the credit if it counts, empty if not yet (or the chain cannot be read now). */
    private Optional<ReceivedTransfer> verify(Address client, Transfer transfer) {
        try {
            return check(client, transfer);
        } catch (RpcException | ChainRpcException e) {
            LOG.info("cannot check transaction {} now ({}); it is checked again", transfer.txHash(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<ReceivedTransfer> check(Address client, Transfer transfer) {
        Optional<TransactionReceipt> found = chain.receipt(transfer.txHash());
        if (found.isEmpty()) {
            return Optional.empty(); // not mined yet, or this node's endpoint is behind the client's
        }
        TransactionReceipt receipt = found.get();
        if (!receipt.isStatusOK()) {
            throw mismatch(transfer, "failed on chain, so it paid nothing");
        }
        Address sender = Address.of(receipt.getFrom());
        if (!sender.equals(client)) {
            throw mismatch(transfer, "was sent by " + sender + ", not by " + client);
        }
        Amount paid = paidToThisNode(receipt, client);
        if (!paid.equals(transfer.amount())) {
            throw mismatch(transfer, "pays this node " + asset.format(paid) + ", not the " + asset.format(transfer.amount())
                    + " stated");
        }
        BlockRef block = new BlockRef(receipt.getBlockNumber().longValueExact(), Bytes32.fromHex(receipt.getBlockHash()));
        // A receipt from a block a re-org removed must not count: the block must still be the canonical one.
        boolean deepEnough = chain.head() - block.number() + 1 >= confirmations
                && chain.blockHash(block.number()).equals(Optional.of(block.hash()));
        return deepEnough
                ? Optional.of(new ReceivedTransfer(transfer.txHash(), client, asset.token(), paid, block))
                : Optional.empty();
    }

    /** Ether: the transaction's own value to this node (not what a contract forwards); a token: its Transfer events. */
    private Amount paidToThisNode(TransactionReceipt receipt, Address client) {
        if (!asset.isEther()) {
            return Erc20.at(chain, asset.token()).transferred(receipt.getLogs(), client, self);
        }
        Transaction tx = chain.transaction(Bytes32.fromHex(receipt.getTransactionHash())).orElseThrow(() ->
                new ChainRpcException("eth_getTransactionByHash", "the endpoint has a receipt but not the transaction"));
        return tx.getTo() != null && Address.of(tx.getTo()).equals(self) ? Amount.of(tx.getValue()) : Amount.ZERO;
    }

    private void hold(Held transfer) {
        synchronized (held) {
            held.add(transfer);
            List<Held> ofClient = held.stream().filter(h -> h.client().equals(transfer.client())).toList();
            ofClient.subList(0, Math.max(0, ofClient.size() - HELD_PER_CLIENT)).forEach(held::remove);
        }
        LOG.info("transfer {} from {} is held until its transaction is {} blocks deep", transfer.transfer().txHash(),
                transfer.client(), confirmations);
    }

    private void release(Held transfer) {
        synchronized (held) {
            held.remove(transfer);
        }
    }

    private static TurnpikeException seen(Bytes32 txHash) {
        return new TurnpikeException(ErrorCode.TRANSFER_SEEN, "transaction " + txHash
                + " was credited before and is never credited twice; pay with a new transaction");
    }

    private TurnpikeException mismatch(Transfer transfer, String problem) {
        return new TurnpikeException(ErrorCode.TRANSFER_MISMATCH, "transaction " + transfer.txHash() + " " + problem
                + "; nothing was credited. Name a successful transaction of yours that pays this node exactly the"
                + " stated amount of " + asset.symbol());
    }
}
