package io.turnpike.node.cli;

import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.api.ChannelAssets;
import io.turnpike.node.control.ChannelView;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `turnpike channel …`: the running node's payment channels. */
@Command(name = "channel", mixinStandardHelpOptions = true,
        description = "The running node's payment channels: list, open, deposit, withdraw, close.",
        subcommands = {ChannelListCommand.class, ChannelOpenCommand.class, ChannelDepositCommand.class,
                ChannelWithdrawCommand.class, ChannelCloseCommand.class})
final class ChannelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The help of ID, the channel a command acts on. */
    static final String ID_HELP = "The channel's id, as 'turnpike channel list' shows it.";

    /** The help of every amount a channel command moves into or out of a channel. */
    static final String AMOUNT_HELP = "In whole units of the node's asset, exactly: 0.5 is 0.5 ETH. More decimals than "
            + "the asset has is an error.";

    /**
     * Prints {@code announcement} before the wait, so the operator knows what the node is doing meanwhile, then the
     * channel as {@code change} leaves it once the chain confirms it.
     */
    static int announceAndAwait(PrintWriter out, String announcement, Supplier<ChannelView> change, Asset asset) {
        out.println(announcement);
        out.flush();
        out.println(describe(change.get(), asset));
        return 0;
    }

    /** "Channel 3 to 0x…: OPEN, 0.5 ETH spendable." and, once closed, when it settles. */
    static String describe(ChannelView channel, Asset nodeAsset) {
        Asset asset = ChannelAssets.of(channel.token(), nodeAsset);
        String state = switch (channel.state()) {
            case "OPEN" -> "OPEN, " + asset.format(channel.spendable()) + " spendable";
            case "CLOSED" -> channel.settleAt().map(at -> "CLOSED; its challenge period ends at " + at
                    + ", then it settles").orElse("CLOSED; it settles after its challenge period");
            default -> channel.state();
        };
        return "Channel " + channel.channelId() + " to " + channel.partner() + ": " + state + ".";
    }

    /** A positive amount in whole units of {@code asset}, exactly ("0.5" is 0.5 ETH); {@code what} names it in errors. */
    static Amount amount(String text, String what, Asset asset) {
        Amount parsed;
        try {
            parsed = Amount.parse(text, asset.decimals());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw badAmount(what, e.getMessage(), asset);
        }
        if (parsed.isZero()) {
            throw badAmount(what, "it is zero", asset);
        }
        return parsed;
    }

    private static TurnpikeException badAmount(String what, String problem, Asset asset) {
        return new TurnpikeException(ErrorCode.BAD_ARGUMENT, "cannot " + what + " that: " + problem + ". Give a "
                + "positive decimal figure in " + asset.symbol() + " with at most " + asset.decimals()
                + " decimals, such as 0.5.");
    }
}
