package io.turnpike.node.cli;

import io.turnpike.node.NodeContext;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.daemon.TurnpikeNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `turnpike node`: runs the node from its data directory until it is stopped (Ctrl-C or SIGTERM). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run the node: peer listener, HTTP API on loopback, the paid relay when it sells bandwidth, "
                + "and the local SOCKS5 entry when it buys.")
final class NodeCommand extends HomeCommand {

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
            api = ApiServer.start(new RunningNodeControl(node), context.config().api(), context.config().apiAllowRemote(),
                    ApiToken.read(context.home().apiTokenFile()));
        } catch (RuntimeException e) {
            node.close();
            context.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            node.close();
            context.close();
            stopped.countDown();
        }, "turnpike-stop"));
        PrintWriter out = out();
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
        stopped.await();
        return 0;
    }
}
