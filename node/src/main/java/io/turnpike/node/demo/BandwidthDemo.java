package io.turnpike.node.demo;

import com.sun.net.httpserver.HttpServer;
import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.Environment;
import io.turnpike.node.NodeHome;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * The main demo: a provider node sells bandwidth and a client node buys it on a local chain. The client
 * fetches data through the paid relay while the terminal shows bytes, debt and payments live; then the
 * client settles cooperatively and both parties' on-chain balances are checked to the wei against what
 * was paid and the gas each spent.
 */
public final class BandwidthDemo {

    private static final String PASSPHRASE = "demo passphrase";
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
        NodeHome providerHome = home("provider", random, operator);
        NodeHome clientHome = home("client", random, operator);
        Address providerAddress = providerHome.keystore().address();
        Address clientAddress = clientHome.keystore().address();
        long startBlock = chain.head();
        Amount providerBefore = chain.balance(providerAddress);
        Amount clientBefore = chain.balance(clientAddress);

        int providerPeer = freePort();
        int relay = freePort();
        int socks = freePort();
        String onChain = "chain { id = " + anvil.chainId() + ", rpc-urls = [\"" + anvil.rpcUrl() + "\"], contract = \""
                + contract.address() + "\", confirmations = 1, poll-interval = 100ms }\n";
        write(providerHome, onChain + "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                + "provider { enabled = true, relay-bind = \"127.0.0.1\", relay-port = " + relay
                + ", price-per-byte = \"1000000000\", payment-threshold = \"2000000000000000\", statement-interval = 2s"
                + ", allow-private-targets = true }");
        write(clientHome, onChain + "peer { bind = \"127.0.0.1\", port = " + freePort() + " }\n"
                + "client { providers = [{url = \"ws://127.0.0.1:" + providerPeer + "\", address = \"" + providerAddress
                + "\", relay = \"127.0.0.1:" + relay + "\"}], socks-port = " + socks
                + ", deposit = \"0.02\", top-up-below = \"0.005\", pay-interval = 1s }");

        step("Starting the provider (sells bandwidth at 1 gwei per byte) and the client (buys it)");
        out.printf("  provider %s, relay on 127.0.0.1:%d%n  client   %s, local SOCKS5 entry on 127.0.0.1:%d%n",
                providerAddress, relay, clientAddress, socks);
        Environment environment = new Environment(Map.of(), Map.of(), Optional.empty());
        TurnpikeNode provider = TurnpikeNode.start(providerHome.open(environment, () -> PASSPHRASE), Clock.systemUTC());
        TurnpikeNode client = null;
        HttpServer content = contentServer();
        try {
            client = TurnpikeNode.start(clientHome.open(environment, () -> PASSPHRASE), Clock.systemUTC());
            TurnpikeNode buyer = client;
            await(() -> buyer.payments().orElseThrow().route().isPresent(), Duration.ofSeconds(60));
            ChannelView channel = new RunningNodeControl(client).channels().get(0);
            out.printf("  the client opened channel #%d with %s%n", channel.channelId(),
                    Asset.ETH.format(channel.ownDeposit()));

            long total = (long) megabytes * 1024 * 1024;
            step("Fetching " + megabytes + " MiB through the paid relay (curl --socks5-hostname 127.0.0.1:" + socks
                    + " works the same)");
            AtomicLong fetched = new AtomicLong();
            CompletableFuture<Void> fetch = CompletableFuture.runAsync(() -> fetch(socks, content, total, fetched));
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
            await(() -> view(buyer).owed().isZero() && view(provider).paid().equals(view(provider).used())
                    && view(provider).used().equals(view(buyer).used()), Duration.ofSeconds(30));
            show(buyer, provider, fetched.get());

            step("Settling the channel cooperatively");
            PeerView paidView = view(provider);
            ChannelView settled = new RunningNodeControl(client).closeChannel(view(buyer).channelId().orElseThrow(), false);
            out.printf("  channel #%d %s: the provider is paid %s for %,d bytes in %d payments%n",
                    settled.channelId(), settled.state(), Asset.ETH.format(paidView.paid()), fetched.get(),
                    client.channels().find(settled.channelId()).orElseThrow().sent().orElseThrow().message().nonce());
            long payments = client.channels().find(settled.channelId()).orElseThrow().sent().orElseThrow()
                    .message().nonce();

            Amount paid = paidView.paid();
            Amount providerGas = gasSpent(chain, providerAddress, startBlock);
            Amount clientGas = gasSpent(chain, clientAddress, startBlock);
            Result result = new Result(
                    new Party("client", clientAddress, clientBefore, chain.balance(clientAddress), clientGas,
                            clientBefore.minus(paid).minus(clientGas)),
                    new Party("provider", providerAddress, providerBefore, chain.balance(providerAddress), providerGas,
                            providerBefore.plus(paid).minus(providerGas)),
                    fetched.get(), paid, payments);
            report(result);
            return result;
        } finally {
            content.stop(0);
            if (client != null) {
                client.close();
                client.context().close();
            }
            provider.close();
            provider.context().close();
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

    /** What {@code who}'s own transactions since {@code fromBlock} cost, read from the chain. */
    private static Amount gasSpent(Chain chain, Address who, long fromBlock) {
        Amount total = Amount.ZERO;
        for (long n = fromBlock + 1; n <= chain.head(); n++) {
            for (EthBlock.TransactionResult<?> result : chain.blockWithTransactions(n).getTransactions()) {
                Transaction tx = (Transaction) result.get();
                if (Address.of(tx.getFrom()).equals(who)) {
                    var receipt = chain.receipt(io.turnpike.core.crypto.Bytes32.fromHex(tx.getHash())).orElseThrow();
                    total = total.plus(Amount.of(receipt.getGasUsed().multiply(
                            new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16))));
                }
            }
        }
        return total;
    }

    private NodeHome home(String name, SecureRandom random, ChainAccount funder) {
        NodeHome home = NodeHome.at(workDir.resolve(name));
        PrivateKey key = PrivateKey.random(random);
        home.initialise(Keystore.encrypt(key, PASSPHRASE, Keystore.Kdf.LIGHT), random);
        funder.transfer(key.address(), FUNDING);
        return home;
    }

    private static void write(NodeHome home, String settings) throws IOException {
        Files.writeString(home.configFile(), "turnpike {\n" + settings + "\n}\n");
    }

    /** Serves any number of bytes at a steady pace: GET /bytes/N. */
    private static HttpServer contentServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bytes/", exchange -> {
            long size = Long.parseLong(exchange.getRequestURI().getPath().substring("/bytes/".length()));
            exchange.sendResponseHeaders(200, size);
            byte[] chunk = new byte[64 * 1024];
            long started = System.nanoTime();
            try (OutputStream body = exchange.getResponseBody()) {
                for (long sent = 0; sent < size; sent += chunk.length) {
                    body.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
                    long due = started + (sent * 1_000_000_000L / BYTES_PER_SECOND);
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) {
                        TimeUnit.NANOSECONDS.sleep(ahead);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }

    private static void fetch(int socks, HttpServer content, long size, AtomicLong fetched) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + content.getAddress().getPort() + "/bytes/" + size);
            HttpURLConnection connection = (HttpURLConnection) uri.toURL()
                    .openConnection(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", socks)));
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = connection.getInputStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    fetched.addAndGet(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void step(String text) {
        out.println("== " + text);
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo did not get there within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
