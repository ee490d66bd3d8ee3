package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import io.turnpike.node.Environment;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.NodeHome;
import io.turnpike.node.Terminal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that works on a data directory: every one takes {@code --datadir}. */
abstract class HomeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--datadir", paramLabel = "DIR", description = "The data directory (default: ~/.turnpike).")
    Path datadir;

    Environment environment() {
        return ((TurnpikeCommand) spec.root().userObject()).environment();
    }

    NodeHome home() {
        return NodeHome.at(Optional.ofNullable(datadir), environment());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Refuses, having done nothing, when the operator is to be asked but there is no terminal to ask on: the
     * {@code action} ("send", "payment", …) then needs {@code --yes}.
     */
    void requireConfirmable(boolean yes, String action) {
        if (!yes && environment().terminal().isEmpty()) {
            throw new TurnpikeException(ErrorCode.CONFIRMATION_UNAVAILABLE, "there is no terminal to confirm the "
                    + action + " on. Nothing was done; pass --yes to go ahead without asking.");
        }
    }

    /** Asks {@code question} on the terminal; only "y" or "yes" agrees. */
    boolean confirmed(String question) {
        Terminal terminal = environment().terminal().orElseThrow(); // callers checked requireConfirmable first
        String answer = terminal.readLine(question + " [y/N] ").strip().toLowerCase(Locale.ROOT);
        return answer.equals("y") || answer.equals("yes");
    }
}
