package io.turnpike.node.cli;

import io.turnpike.node.Environment;
import io.turnpike.node.NodeHome;
import java.io.PrintWriter;
import java.nio.file.Path;
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
}
