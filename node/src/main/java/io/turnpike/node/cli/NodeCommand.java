package io.turnpike.node.cli;

import io.turnpike.node.ListeningPort;
import io.turnpike.node.NodeContext;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.daemon.TurnpikeNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** `turnpike node`: runs the node from its data directory until it is stopped (Ctrl-C or SIGTERM). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run the node: peer listener, HTTP API on loopback, the paid relay when it sells bandwidth, "
                + "and the local SOCKS5 entry when it buys.")
final class NodeCommand extends HomeCommand {

    /** The exit status of a stop in which something did not close cleanly (the log says what). */
    static final int STOPPED_UNCLEANLY = 1;

    @Mixin
    PassphraseOption passphrase;

    @Option(names = "--restore-from-tower", description = "Before serving, rebuild the channels from the proofs the "
            + "watchtowers in turnpike.towers hold for this node: after its database was lost, with its keystore and "
            + "turnpike.conf kept.")
    boolean restoreFromTower;

    @Override
    public Integer call() throws InterruptedException {
        NodeContext context = home().open(environment(),
                () -> passphrase.source(environment()).toUnlock("the node's keystore"));
        TurnpikeNode node;
        try {
            node = TurnpikeNode.start(context, Clock.systemUTC(), restoreFromTower);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        ApiServer api;
        try {
            api = new ListeningPort("turnpike.api.port", context.config().api().bind(), context.config().api().port())
                    .start(() -> ApiServer.start(new RunningNodeControl(node), context.config().api(),
                            context.config().apiAllowRemote(), ApiToken.read(context.home().apiTokenFile())));
        } catch (RuntimeException e) {
            node.close();
            context.close();
            throw e;
        }
        PrintWriter out = out();
        Stop stop = new Stop(out, List.of(api, node, context));
        CountDownLatch stopRequested = new CountDownLatch(1);
        onStopSignal(stopRequested::countDown);
        // Any other way out (a System.exit after a fatal transport error) still stops the node first.
        Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "turnpike-stop"));
        out.printf("node %s running on chain %d, contract %s%n", context.key().address(), context.chain().chainId(),
                node.contract().address());
        out.printf("  peers        ws://%s:%d%n", context.config().peer().bind(), node.peerPort());
        out.printf("  API          http://%s:%d (token in %s)%n", context.config().api().bind(), api.address().getPort(),
                context.home().apiTokenFile());
        node.relayPort().ifPresent(port -> out.printf("  relay        socks5://%s:%d (selling bandwidth)%n",
                context.config().provider().bandwidth().relay().bind(), port));
        node.localSocksPort().ifPresent(port -> out.printf("  local entry  socks5://127.0.0.1:%d (buying bandwidth)%n",
                port));
        if (restoreFromTower) {
            out.printf("  restored     %d channel(s) from the watchtowers%n", node.restoredChannels().size());
            node.restoredChannels().forEach(channel -> out.printf("    #%d with %s, %s: received %s (proof #%d)%n",
                    channel.channelId(), channel.partner(), channel.status(),
                    context.config().asset().format(channel.received().orElseThrow().message().transferred()),
                    channel.received().orElseThrow().message().nonce()));
        }
        out.flush();
        stopRequested.await();
        return stop.run() ? 0 : STOPPED_UNCLEANLY;
    }

    /**
     * SIGTERM and SIGINT hand the stop to the main thread, which then exits 0: the JVM's own handlers would run the
     * shutdown hooks too, but exit 143 or 130, which a supervisor reads as a failure.
     */
    private static void onStopSignal(Runnable requestStop) {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> requestStop.run());
            } catch (IllegalArgumentException leftToTheSystem) {
                // Run with -Xrs, the JVM leaves these signals to the operating system, and so does the node.
            }
        }
    }

    /**
     * Closes the API, the node (which writes down what it metered) and its context, once: a shutdown hook that comes
     * second waits here until the first stop has finished, so the JVM never exits in the middle of it.
     */
    private static final class Stop {

        private final PrintWriter out;
        private final List<AutoCloseable> parts;
        private boolean stopped;
        private boolean clean = true;

        Stop(PrintWriter out, List<AutoCloseable> parts) {
            this.out = out;
            this.parts = parts;
        }

        /** Whether every part closed without an error. */
        synchronized boolean run() {
            if (!stopped) {
                stopped = true;
                out.println("stopping…");
                out.flush();
                for (AutoCloseable part : parts) {
                    try {
                        part.close();
                    } catch (Exception e) {
                        // Looked up here, not in a static field: picocli builds every command at start, and a logger made
                        // then would fix the log level before the demo can quiet it.
                        LoggerFactory.getLogger(NodeCommand.class).error("stopping: {} did not close cleanly", part, e);
                        clean = false;
                    }
                }
                out.println("stopped");
                out.flush();
            }
            return clean;
        }
    }
}
