package io.turnpike.node.wallet;

import io.turnpike.core.ErrorCode;
import io.turnpike.chain.Chain;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.TxReceipt;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.NodeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/** The node's own funds on chain: what it holds in ether and in each configured token, and plain transfers. */
public final class Wallet {

    /** One asset's balance. */
    public record Balance(Asset asset, Amount amount) {
    }

    private final Chain chain;
    private final NodeConfig config;

    public Wallet(Chain chain, NodeConfig config) {
        this.chain = chain;
        this.config = config;
    }

    /** Ether first, then the tokens in the order they are configured. */
    public List<Balance> balances(Address owner) {
        List<Balance> balances = new ArrayList<>();
        balances.add(new Balance(Asset.ETH, balance(owner, Asset.ETH)));
        for (Asset token : config.tokens()) {
            balances.add(new Balance(token, balance(owner, token)));
        }
        return balances;
    }

    public Amount balance(Address owner, Asset asset) {
        return asset.isEther() ? chain.balance(owner) : Erc20.at(chain, asset.token()).balanceOf(owner);
    }

    /** Whether ether is below turnpike.wallet.low-balance: the node pays its gas from it. */
    public boolean isLow(Balance balance) {
        return balance.asset().isEther() && balance.amount().isLessThan(config.wallet().lowBalance());
    }

    /**
     * Refuses a transfer the wallet cannot cover, before a passphrase is asked or anything is signed.
     *
     * @throws TurnpikeException {@link ErrorCode#INSUFFICIENT_FUNDS}
     */
    public void requireFunds(Address owner, Asset asset, Amount amount) {
        Amount held = balance(owner, asset);
        if (held.isLessThan(amount)) {
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, owner + " holds " + asset.format(held) + ", less than the "
                    + asset.format(amount) + " to send. Nothing was sent; fund the address or send less.");
        }
    }

    /**
     * Sends {@code amount} of {@code asset} and waits until it is in a block.
     *
     * @throws TurnpikeException {@link ErrorCode#TRANSACTION_FAILED} if the chain refused it, or it was sent but no
     *     receipt came back
     */
    public TxReceipt send(PrivateKey from, Address to, Asset asset, Amount amount) {
        try {
            return asset.isEther() ? chain.account(from).transfer(to, amount)
                    : Erc20.at(chain, asset.token()).transfer(chain.account(from), to, amount);
        } catch (RuntimeException e) {
            // Refused by the node, reverted, or lost on the wire: to the operator each means "check, then retry".
            throw new TurnpikeException(ErrorCode.TRANSACTION_FAILED, "the transfer of " + asset.format(amount) + " to " + to
                    + " failed: " + e.getMessage() + ". It may still have reached the chain: check 'turnpike wallet"
                    + " balance' before sending again.", e);
        }
    }

    /**
     * Waits until {@code receipt}'s block is turnpike.chain.confirmations deep, reporting each new depth to
     * {@code progress} (1 = in the latest block). Depth only: re-org handling belongs to the transaction manager.
     */
    public void awaitConfirmations(TxReceipt receipt, IntConsumer progress) {
        int required = config.chain().confirmations();
        int reported = 0;
        while (true) {
            int depth;
            try {
                long latest = chain.latestBlock().getNumber().longValueExact();
                depth = (int) Math.max(0, Math.min(required, latest - receipt.blockNumber() + 1));
            } catch (RuntimeException rpcDown) {
                // The transfer is already in a block; an RPC outage only delays the count.
                depth = reported;
            }
            if (depth > reported) {
                reported = depth;
                progress.accept(depth);
            }
            if (depth >= required) {
                return;
            }
            LockSupport.parkNanos(config.chain().pollInterval().toNanos());
        }
    }
}
