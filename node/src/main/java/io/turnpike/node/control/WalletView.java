package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.wallet.Wallet.Balance;
import java.util.List;

/**
 * The node's own funds: what its wallet holds on chain, and what is its own in channels (which the wallet does not
 * show until the channels settle).
 *
 * @param balances ether first, then each configured token, as the chain reports them now
 * @param inChannels this node's side of every channel not yet settled, in the node's asset: what it would get back
 * @param lowBalance the ether balance under which the node warns (turnpike.wallet.low-balance): it pays gas from it
 */
public record WalletView(Address address, Asset asset, List<Balance> balances, Amount inChannels, Amount lowBalance) {

    public WalletView {
        balances = List.copyOf(balances);
    }

    /** The wallet's balance in the node's asset plus what is its own in channels. */
    public Amount total() {
        return balances.stream().filter(b -> b.asset().token().equals(asset.token())).map(Balance::amount)
                .findFirst().orElse(Amount.ZERO).plus(inChannels);
    }

    /** Whether {@code balance} is ether under {@link #lowBalance}. */
    public boolean isLow(Balance balance) {
        return balance.asset().isEther() && balance.amount().isLessThan(lowBalance);
    }
}
