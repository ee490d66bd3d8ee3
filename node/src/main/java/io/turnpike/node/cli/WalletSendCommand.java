package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import io.turnpike.chain.Chain;
import io.turnpike.chain.TxReceipt;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.ChainEndpoints;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.NodeHome;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.wallet.Keystore;
import io.turnpike.node.wallet.Wallet;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `turnpike wallet send TO AMOUNT`: a plain transfer of ether or a configured token. Everything that can be
 * checked (settings, arguments, chain, funds) is checked first; then the operator sees what will be sent and
 * confirms it, and only then is the passphrase asked.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send ETH (or --asset SYMBOL, one of turnpike.tokens) from the node's wallet, and wait for "
                + "turnpike.chain.confirmations blocks.")
final class WalletSendCommand extends HomeCommand {

    @Parameters(index = "0", paramLabel = "TO", description = "The recipient's address (0x + 40 hex digits).")
    String to;

    @Parameters(index = "1", paramLabel = "AMOUNT",
            description = "In whole units, exactly: 0.0042 is 0.0042 ETH. More decimals than the asset has is an error.")
    String amount;

    @Option(names = "--asset", paramLabel = "SYMBOL", defaultValue = "ETH",
            description = "ETH (default) or the symbol of a token in turnpike.tokens.")
    String symbol;

    @Option(names = "--yes", description = "Send without asking for confirmation.")
    boolean yes;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() {
        NodeHome home = home();
        NodeConfig config = home.loadConfig(environment());
        Asset asset = asset(config);
        Amount value = amount(asset);
        Address recipient = recipient();
        requireConfirmable(yes, "send");
        Keystore keystore = home.keystore();
        Address sender = keystore.address();
        PrintWriter out = out();
        try (Chain chain = ChainEndpoints.connect(config.chain())) {
            Wallet wallet = new Wallet(chain, config);
            wallet.requireFunds(sender, asset, value);
            out.println("Send " + asset.format(value));
            out.println("  from  " + sender);
            out.println("  to    " + recipient);
            out.println("  on    chain " + chain.chainId() + (asset.isEther() ? "" : ", token " + asset.token()));
            out.flush();
            if (!yes && !confirmed("Send it?")) {
                out.println("Nothing was sent.");
                return 1;
            }
            PrivateKey key = keystore.unlock(passphrase.source(environment()).toUnlock("the keystore of " + sender));
            TxReceipt receipt = wallet.send(key, recipient, asset, value);
            Confirmations.follow(out, wallet, receipt, config.chain().confirmations(), "the transfer");
            out.println("Confirmed: " + asset.format(value) + " to " + recipient + ", fee "
                    + Asset.ETH.format(receipt.fee()) + ". Balance now " + asset.format(wallet.balance(sender, asset))
                    + ".");
        }
        return 0;
    }

    private Asset asset(NodeConfig config) {
        return config.asset(symbol).orElseThrow(() -> new TurnpikeException(ErrorCode.BAD_ARGUMENT, "'" + symbol
                + "' is not an asset this node knows: ETH" + config.tokens().stream().map(t -> ", " + t.symbol())
                        .collect(Collectors.joining()) + ". Add the token to turnpike.tokens, or pick one of these."));
    }

    private Amount amount(Asset asset) {
        Amount parsed;
        try {
            parsed = Amount.parse(amount, asset.decimals());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "cannot send that amount: " + e.getMessage() + ". Give a positive "
                    + "decimal figure with at most " + asset.decimals() + " decimals (" + asset.symbol()
                    + "'s), such as 0.0042.");
        }
        if (parsed.isZero()) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "the amount is zero; nothing to send.");
        }
        return parsed;
    }

    private Address recipient() {
        try {
            return Address.of(to.strip());
        } catch (IllegalArgumentException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "the recipient: " + e.getMessage()
                    + ". Copy the address again; a mixed-case address must match its EIP-55 checksum.");
        }
    }
}
