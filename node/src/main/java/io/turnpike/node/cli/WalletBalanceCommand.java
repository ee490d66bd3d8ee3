package io.turnpike.node.cli;

import io.turnpike.chain.Chain;
import io.turnpike.core.Address;
import io.turnpike.node.ChainEndpoints;
import io.turnpike.node.NodeHome;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.wallet.Wallet;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** `turnpike wallet balance`: ether and every configured token, as exact decimal figures. */
@Command(name = "balance", mixinStandardHelpOptions = true,
        description = "Show the node's ETH and ERC-20 balances (turnpike.tokens), exactly, from turnpike.chain.rpc-urls.")
final class WalletBalanceCommand extends HomeCommand {

    @Override
    public Integer call() {
        NodeHome home = home();
        NodeConfig config = home.loadConfig(environment());
        Address owner = home.keystore().address();
        try (Chain chain = ChainEndpoints.connect(config.chain())) {
            Wallet wallet = new Wallet(chain, config);
            List<Wallet.Balance> balances = wallet.balances(owner);
            int width = balances.stream().mapToInt(b -> b.asset().symbol().length()).max().orElse(0);
            PrintWriter out = out();
            out.println(owner + " on chain " + chain.chainId());
            for (Wallet.Balance balance : balances) {
                String line = String.format("  %-" + width + "s  %s", balance.asset().symbol(),
                        balance.amount().toDecimalString(balance.asset().decimals()));
                if (wallet.isLow(balance)) {
                    line += "  (below turnpike.wallet.low-balance, " + balance.asset().format(config.wallet().lowBalance())
                            + ": the node pays gas from it)";
                }
                out.println(line);
            }
        }
        return 0;
    }
}
