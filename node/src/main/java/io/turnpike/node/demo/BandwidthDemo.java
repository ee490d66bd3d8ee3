package io.turnpike.node.demo;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.NodeHome;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.service.BandwidthService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main demo: a provider node sells bandwidth and a client node buys it on a local chain. The client
 * fetches data through the paid relay while the terminal shows bytes, debt and payments live; then the
 * client settles cooperatively and both parties' on-chain balances are checked to the wei against what
 * was paid and the gas each spent.
 */
public final class BandwidthDemo {

    private static final Amount FUNDING = Amount.parse("10", 18);
    /** The content server's pace, so the stream lasts long enough to watch. */
    private static final long BYTES_PER_SECOND = 6L * 1024 * 1024;

    /** One party's ether: before, after, the gas its own transactions cost, and what the payments imply. */
    public record Party(String name, Address address, Amount before, Amount after, Amount gas, Amount expectedAfter) {
        public boolean checksOut() {
            return after.equals(expectedAfter);
        }
    }

    public record Result(Party client, Party provider, long bytes, Amount paid, long payments) {
        public boolean balancesCheckOut() {
            return client.checksOut() && provider.checksOut();
        }
    }

    private final Anvil anvil;
    private final Path workDir;
    private final PrintStream out;

    public BandwidthDemo(Anvil anvil, Path workDir, PrintStream out) {
        this.anvil = anvil;
        this.workDir = workDir;
        this.out = out;
    }

    public Result run(int megabytes) throws IOException, InterruptedException {
        Chain chain = anvil.connect();
        ChainAccount operator = chain.account(anvil.devKeys().get(0));
        step("Deploying TurnpikeChannels on anvil (chain id " + anvil.chainId() + ")");
        ChannelsContract contract = ChannelsContract.deploy(operator, 60, 30L * 24 * 3600);
        out.printf("  contract %s%n", contract.address());

        SecureRandom random = new SecureRandom();
        NodeHome providerHome = DemoNodes.home(workDir.resolve("provider"), operator, FUNDING, random);
        NodeHome clientHome = DemoNodes.home(workDir.resolve("client"), operator, FUNDING, random);
        Address providerAddress = providerHome.keystore().address();
        Address clientAddress = clientHome.keystore().address();
        long startBlock = chain.head();
        Amount providerBefore = chain.balance(providerAddress);
        Amount clientBefore = chain.balance(clientAddress);

        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        int socks = FreePort.take();
        String onChain = DemoNodes.onChain(anvil, contract.address());
        DemoNodes.configure(providerHome, onChain + "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                + DemoNodes.provider(relay, "1000000000", "2000000000000000", "statement-interval = 2s", ""));
        DemoNodes.configure(clientHome, onChain + "peer { bind = \"127.0.0.1\", port = " + FreePort.take() + " }\n"
                + "client { providers = [{url = \"ws://127.0.0.1:" + providerPeer + "\", address = \"" + providerAddress
                + "\", relay = \"127.0.0.1:" + relay + "\"}], socks-port = " + socks
                + ", deposit = \"0.02\", top-up-below = \"0.005\", pay-interval = 1s }");

        step("Starting the provider (sells bandwidth at 1 gwei per byte) and the client (buys it)");
        out.printf("  provider %s, relay on 127.0.0.1:%d%n  client   %s, local SOCKS5 entry on 127.0.0.1:%d%n",
                providerAddress, relay, clientAddress, socks);
        TurnpikeNode provider = DemoNodes.start(providerHome, false);
        TurnpikeNode client = null;
        ContentServer content = ContentServer.start(BYTES_PER_SECOND);
        try {
            client = DemoNodes.start(clientHome, false);
            TurnpikeNode buyer = client;
            DemoNodes.await(() -> buyer.providerChoice().chosen(BandwidthService.NAME).isPresent(),
                    Duration.ofSeconds(60));
            ChannelView channel = new RunningNodeControl(client).channels().get(0);
            out.printf("  the client opened channel #%d with %s%n", channel.channelId(),
                    Asset.ETH.format(channel.ownDeposit()));

            long total = (long) megabytes * 1024 * 1024;
            step("Fetching " + megabytes + " MiB through the paid relay (curl --socks5-hostname 127.0.0.1:" + socks
                    + " works the same)");
            AtomicLong fetched = new AtomicLong();
            CompletableFuture<Void> fetch = CompletableFuture.runAsync(() -> DemoNodes.fetch(socks, content, total, fetched));
            while (!fetch.isDone()) {
                show(buyer, provider, fetched.get());
                try {
                    fetch.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // show the next line
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("the fetch failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            DemoNodes.await(() -> view(buyer).owed().isZero() && view(provider).paid().equals(view(provider).used())
                    && view(provider).used().equals(view(buyer).used()), Duration.ofSeconds(30));
            show(buyer, provider, fetched.get());

            step("Settling the channel cooperatively");
            ChannelView settled = new RunningNodeControl(client).closeChannel(view(buyer).channelId().orElseThrow(), false);
            // What the settle paid the provider is what the client's books say it paid through the channel.
            Amount paid = settled.sent();
            long payments = client.channel(settled.channelId()).orElseThrow().sentNonce();
            out.printf("  channel #%d %s: the provider is paid %s for %,d bytes in %d payments%n",
                    settled.channelId(), settled.state(), Asset.ETH.format(paid), fetched.get(), payments);

            Amount providerGas = DemoNodes.gasSpent(chain, providerAddress, startBlock);
            Amount clientGas = DemoNodes.gasSpent(chain, clientAddress, startBlock);
            Result result = new Result(
                    new Party("client", clientAddress, clientBefore, chain.balance(clientAddress), clientGas,
                            clientBefore.minus(paid).minus(clientGas)),
                    new Party("provider", providerAddress, providerBefore, chain.balance(providerAddress), providerGas,
                            providerBefore.plus(paid).minus(providerGas)),
                    fetched.get(), paid, payments);
            report(result);
            return result;
        } finally {
            content.close();
            if (client != null) {
                DemoNodes.stop(client);
            }
            DemoNodes.stop(provider);
        }
    }

    private void show(TurnpikeNode client, TurnpikeNode provider, long bytes) {
        PeerView atClient = view(client);
        PeerView atProvider = view(provider);
        long tenthsOfMiB = bytes * 10 / (1024 * 1024);
        out.printf("  %6d.%d MiB | client owes %-22s paid %-22s | provider: used %-22s paid %-22s tier %s%n",
                tenthsOfMiB / 10, tenthsOfMiB % 10, Asset.ETH.format(atClient.owed()), Asset.ETH.format(atClient.paid()),
                Asset.ETH.format(atProvider.used()), Asset.ETH.format(atProvider.paid()), atProvider.tier());
    }

    private void report(Result r) {
        step("On-chain ETH balances");
        for (Party p : new Party[] {r.client(), r.provider()}) {
            out.printf("  %-8s %s -> %s (gas %s)%n", p.name(), Asset.ETH.format(p.before()), Asset.ETH.format(p.after()),
                    Asset.ETH.format(p.gas()));
        }
        out.printf("  %s client: after = before - paid - gas%n", r.client().checksOut() ? "OK      " : "MISMATCH");
        out.printf("  %s provider: after = before + paid - gas%n", r.provider().checksOut() ? "OK      " : "MISMATCH");
        out.println(r.balancesCheckOut() ? "Balances check out to the wei." : "Balances do NOT check out.");
    }

    private static PeerView view(TurnpikeNode node) {
        return node.payments().map(p -> p.views().get(0))
                .orElseGet(() -> node.provider().orElseThrow().views().get(0));
    }

    private void step(String text) {
        out.println("== " + text);
    }
}
