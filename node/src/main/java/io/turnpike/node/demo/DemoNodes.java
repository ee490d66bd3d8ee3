package io.turnpike.node.demo;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.Environment;
import io.turnpike.node.NodeHome;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * What the demos are built from, and the tests that run nodes beside a watchtower in another module: funded node
 * data directories on a local chain, nodes started from them, a paced {@link ContentServer} fetched through a node's
 * SOCKS5 entry, and what each party's own transactions cost.
 */
public final class DemoNodes {

    /** Every demo key's passphrase: the keys are thrown away with the chain. */
    public static final String PASSPHRASE = "demo passphrase";

    private DemoNodes() {
    }

    /** A data directory at {@code directory} with a new key (fast to open), holding {@code funding} on chain. */
    public static NodeHome home(Path directory, ChainAccount funder, Amount funding, SecureRandom random) {
        NodeHome home = NodeHome.at(directory);
        PrivateKey key = PrivateKey.random(random);
        home.initialise(Keystore.encrypt(key, PASSPHRASE, Keystore.Kdf.LIGHT), random);
        funder.transfer(key.address(), funding);
        return home;
    }

    /** The chain settings for nodes on {@code anvil} with {@code contract}: one confirmation, quick polling. */
    public static String onChain(Anvil anvil, Address contract) {
        return onChain(anvil.chainId(), anvil.rpcUrl(), contract);
    }

    /** Like {@link #onChain(Anvil, Address)} with the chain reached at {@code rpcUrl}: through a link, say. */
    public static String onChain(long chainId, String rpcUrl, Address contract) {
        return "chain { id = " + chainId + ", rpc-urls = [\"" + rpcUrl + "\"], contract = \""
                + contract + "\", confirmations = 1, poll-interval = 100ms }\n";
    }

    /**
     * The settings of a provider selling bandwidth through a relay on loopback that may reach loopback targets (the
     * demo's own content server): {@code more} is added to the provider's settings, {@code moreBandwidth} to the
     * bandwidth service's.
     */
    public static String provider(int relayPort, String pricePerByte, String paymentThreshold, String more,
                                  String moreBandwidth) {
        return "provider { enabled = true, payment-threshold = \"" + paymentThreshold + "\"\n" + more + "\n"
                + "  services.bandwidth { relay-bind = \"127.0.0.1\", relay-port = " + relayPort + ", price-per-byte = \""
                + pricePerByte + "\", allow-private-targets = true\n" + moreBandwidth + " } }\n";
    }

    /** Writes the home's turnpike.conf: {@code settings} inside {@code turnpike { … }}. */
    public static void configure(NodeHome home, String settings) {
        try {
            Files.writeString(home.configFile(), "turnpike {\n" + settings + "\n}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the home and starts its node; {@code restoreFromTowers} as {@code turnpike node --restore-from-tower}. */
    public static TurnpikeNode start(NodeHome home, boolean restoreFromTowers) {
        var context = home.open(new Environment(Map.of(), Map.of(), Optional.empty()), () -> PASSPHRASE);
        try {
            return TurnpikeNode.start(context, Clock.systemUTC(), restoreFromTowers);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Stops a node and releases its chain connection and database, as a stopped process would. */
    public static void stop(TurnpikeNode node) {
        node.close();
        node.context().close();
    }

    /** Fetches {@code size} bytes from {@code content} through the SOCKS5 entry on {@code socks}, counting them. */
    public static void fetch(int socks, ContentServer content, long size, AtomicLong fetched) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + content.port() + "/bytes/" + size);
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

    /** What {@code who}'s own transactions since {@code fromBlock} cost, read from the chain. */
    public static Amount gasSpent(Chain chain, Address who, long fromBlock) {
        Amount total = Amount.ZERO;
        for (long n = fromBlock + 1; n <= chain.head(); n++) {
            for (EthBlock.TransactionResult<?> result : chain.blockWithTransactions(n).getTransactions()) {
                Transaction tx = (Transaction) result.get();
                if (Address.of(tx.getFrom()).equals(who)) {
                    var receipt = chain.receipt(Bytes32.fromHex(tx.getHash())).orElseThrow();
                    total = total.plus(Amount.of(receipt.getGasUsed().multiply(
                            new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16))));
                }
            }
        }
        return total;
    }

    /** Polls {@code condition} until it holds; throws after {@code timeout}. */
    public static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo did not get there within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
