package io.turnpike.chain.anvil;

import io.turnpike.chain.Chain;
import io.turnpike.chain.SignedTransaction;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A local anvil chain on a free loopback port: the development and test chain. Its funded accounts are
 * read from the config anvil writes at start, never hard-coded. {@link #close()} stops the process.
 */
public final class Anvil implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Anvil.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Runs anvil under a shell that stops it when this JVM is gone, even after a kill -9 that skips
     * shutdown hooks, so no chain is ever left running, and then removes anvil's state cache. $0 is the JVM's pid,
     * $1 the cache directory, the rest the anvil command.
     */
    private static final String WATCHDOG = "cache=$1; shift; \"$@\" & child=$!; "
            + "trap 'kill $child 2>/dev/null' TERM INT; "
            + "while kill -0 $0 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.5; done; "
            + "kill $child 2>/dev/null; wait $child; rm -rf \"$cache\"";

    private final Process process;
    private final Path stateCache;
    private final String rpcUrl;
    private final long chainId;
    private final List<PrivateKey> devKeys;

    private Anvil(Process process, Path stateCache, String rpcUrl, long chainId, List<PrivateKey> devKeys) {
        this.process = process;
        this.stateCache = stateCache;
        this.rpcUrl = rpcUrl;
        this.chainId = chainId;
        this.devKeys = devKeys;
    }

    public static Anvil start(long chainId) {
        return start(chainId, null);
    }

    /**
     * Starts anvil with {@code chainId}; with a {@code stateFile} the chain is loaded from it if it exists
     * and written back on exit, so a restart continues the same chain.
     */
    public static Anvil start(long chainId, Path stateFile) {
        return start(chainId, stateFile, FreePort.take());
    }

    /**
     * Like {@link #start(long, Path)} on a given port: restarting a stopped chain there looks, to a
     * client, like an RPC provider that went away for a while and came back.
     */
    public static Anvil start(long chainId, Path stateFile, int port) {
        return start(chainId, stateFile, port, List.of());
    }

    /**
     * A chain that also mines a block every {@code blockTime}, as a real one does, so that confirmations and
     * challenge periods advance while nobody sends a transaction (a development network, {@code turnpike devnet}).
     */
    public static Anvil mining(long chainId, Path stateFile, int port, Duration blockTime) {
        return start(chainId, stateFile, port, List.of("--block-time", Long.toString(blockTime.toSeconds())));
    }

    private static Anvil start(long chainId, Path stateFile, int port, List<String> options) {
        try {
            Path config = Files.createTempFile("turnpike-anvil", ".json");
            Files.delete(config); // anvil creates it; its presence means the keys are written
            // Past about 500 blocks anvil moves old states to disk, by default under ~/.foundry/anvil/tmp, and leaves
            // them there when it exits (some 77 MB per 1,000 blocks): tests and demos filled a disk that way.
            Path stateCache = Files.createTempDirectory("turnpike-anvil-states");
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG,
                    Long.toString(ProcessHandle.current().pid()), stateCache.toString(), ToolPaths.anvil().toString(),
                    "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--chain-id", Long.toString(chainId),
                    "--accounts", "10", "--balance", "10000",
                    "--cache-path", stateCache.toString(),
                    "--config-out", config.toString(), "--silent"));
            if (stateFile != null) {
                command.addAll(List.of("--state", stateFile.toString()));
            }
            command.addAll(options);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String rpcUrl = "http://127.0.0.1:" + port;
            Anvil anvil = new Anvil(process, stateCache, rpcUrl, chainId, awaitReady(process, rpcUrl, config));
            Files.deleteIfExists(config);
            return anvil;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start anvil: " + e.getMessage(), e);
        }
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public long chainId() {
        return chainId;
    }

    public int port() {
        return URI.create(rpcUrl).getPort();
    }

    /** The funded development keys (10 000 ETH each at start). */
    public List<PrivateKey> devKeys() {
        return devKeys;
    }

    public Chain connect() {
        return Chain.connect(rpcUrl);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Moves the chain's clock forward and mines a block at the new time (challenge periods, expiries). */
    public void advanceTime(long seconds) {
        devRequest("evm_increaseTime", seconds);
        devRequest("evm_mine");
    }

    /** Mines one block now, whether or not automine is on. */
    public void mine() {
        devRequest("evm_mine");
    }

    /** Mines {@code blocks} blocks now. */
    public void mine(int blocks) {
        devRequest("anvil_mine", blocks);
    }

    /** Off: sent transactions wait in the pool until {@link #mine()}, as on a real chain. */
    public void setAutomine(boolean on) {
        devRequest("evm_setAutomine", on);
    }

    /** Removes a transaction from the pool, as a node that evicts it would. */
    public void dropTransaction(Bytes32 hash) {
        devRequest("anvil_dropTransaction", hash.toHex());
    }

    /** Sets the base fee of the next block, in wei per gas; the pool then evicts what pays less. */
    public void setNextBlockBaseFee(Amount weiPerGas) {
        devRequest("anvil_setNextBlockBaseFeePerGas", "0x" + weiPerGas.value().toString(16));
    }

    /**
     * Replaces the newest {@code depth} blocks with as many new ones, the first of which holds {@code txs}:
     * a re-organisation. Transactions of the replaced blocks that are not re-included are gone, from the
     * chain and from the pool.
     */
    public void reorg(int depth, List<SignedTransaction> txs) {
        devRequest("anvil_reorg", depth, txs.stream().map(tx -> List.of(tx.rawHex(), 0)).toList());
    }

    private void devRequest(String method, Object... params) {
        HttpService http = new HttpService(rpcUrl);
        try {
            Response<?> response = new Request<>(method, List.of(params), http, VoidResponse.class).send();
            if (response.hasError()) {
                throw new IllegalStateException(method + " failed: " + response.getError().getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " failed: " + e.getMessage(), e);
        } finally {
            try {
                http.close();
            } catch (IOException ignored) {
                // closing a client with no open connection cannot lose anything
            }
        }
    }

    /** Stops anvil; with a state file, anvil writes the chain state before it exits. Its state cache goes with it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteStateCache(stateCache);
    }

    /** The state cache, if the watchdog has not removed it already; what cannot be removed is left, not fatal. */
    private static void deleteStateCache(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            LOG.warn("could not remove anvil's state cache {}: {}", root, e.getMessage());
        }
    }

    private static List<PrivateKey> awaitReady(Process process, String rpcUrl, Path config) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited at start with code " + process.exitValue());
            }
            if (Files.exists(config) && Files.size(config) > 0 && answers(rpcUrl)) {
                JsonNode keys = new ObjectMapper().readTree(config.toFile()).get("private_keys");
                List<PrivateKey> out = new ArrayList<>();
                keys.forEach(k -> out.add(PrivateKey.fromHex(k.asString())));
                return List.copyOf(out);
            }
            LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
        }
        process.destroyForcibly();
        throw new IllegalStateException("anvil did not answer on " + rpcUrl + " within " + START_TIMEOUT);
    }

    private static boolean answers(String rpcUrl) {
        try (Chain chain = Chain.connect(rpcUrl)) {
            return chain.chainId() > 0;
        } catch (RuntimeException notYet) {
            return false;
        }
    }
}
