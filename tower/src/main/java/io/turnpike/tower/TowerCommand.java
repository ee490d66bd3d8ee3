package io.turnpike.tower;

import io.turnpike.core.ErrorCode;
import io.turnpike.chain.Chain;
import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.PrivateFiles;
import io.turnpike.node.cli.TurnpikeCommand;
import io.turnpike.node.wallet.Keystore;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code turnpike tower}: runs a watchtower until SIGTERM (or Ctrl-C). */
@Command(name = "tower", mixinStandardHelpOptions = true, version = "turnpike tower 0.1.0",
        description = {"Runs a watchtower: nodes upload their partners' newest proofs; when a partner closes a "
                + "channel with an older state, the tower puts the newer one on chain in time and earns the reward "
                + "the node offered. See docs/tower.md."})
public final class TowerCommand implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TowerCommand.class);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--key-file", required = true, paramLabel = "KEYSTORE",
            description = "V3 keystore (geth, web3j, Foundry) with the tower's key, which pays gas and earns rewards")
    Path keyFile;

    @Option(names = "--passphrase-file", required = true, paramLabel = "FILE",
            description = "file holding the keystore's passphrase (one trailing newline ignored)")
    Path passphraseFile;

    @Option(names = "--rpc", required = true, paramLabel = "URL",
            description = "JSON-RPC endpoint; repeat for fail-over, tried in order")
    List<String> rpc;

    @Option(names = "--chain-id", required = true, paramLabel = "N",
            description = "the chain every endpoint must serve")
    long chainId;

    @Option(names = "--contract", required = true, paramLabel = "0x…",
            description = "the TurnpikeChannels deployment")
    String contract;

    @Option(names = "--db", required = true, paramLabel = "JDBC_URL|PATH",
            description = "jdbc:postgresql://host/db?user=…&password=…, jdbc:sqlite:FILE, or an SQLite file's path")
    String db;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "address the API listens on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--port", defaultValue = "" + TowerConfig.DEFAULT_PORT,
            description = "port the API listens on (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--window-start", defaultValue = "50%", paramLabel = "P%",
            description = "share of a challenge period left to the node before the tower acts "
                    + "(default ${DEFAULT-VALUE})")
    String windowStart;

    @Option(names = "--stagger", defaultValue = "10%", paramLabel = "P%",
            description = "further share, scaled by the tower's address, so two towers do not race "
                    + "(default ${DEFAULT-VALUE})")
    String stagger;

    @Option(names = "--interval", defaultValue = "2", paramLabel = "SECONDS",
            description = "seconds between rounds of reading events and acting (default ${DEFAULT-VALUE})")
    long intervalSeconds;

    @Override
    public void run() {
        TowerConfig config = config();
        // The node's loader: its checks (an scrypt cost that could exhaust memory is refused unread), its codes.
        PrivateKey key = Keystore.read(keyFile).unlock(readPassphrase(passphraseFile));
        Address contractAddress = address(contract);
        Chain chain = connect();
        Store store;
        try {
            Watchtower.requireTurnpikeChannels(chain, contractAddress);
            store = Store.open(storeConfig(db), new NodeIdentity(key.address(), chainId, contractAddress));
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
        Watchtower tower;
        try {
            tower = Watchtower.start(config, chain, contractAddress, key, store);
        } catch (RuntimeException e) {
            store.close();
            chain.close();
            throw e;
        }
        ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tower-rounds").factory());
        rounds.scheduleWithFixedDelay(() -> round(tower), 0, intervalSeconds, TimeUnit.SECONDS);
        PrintWriter out = spec.commandLine().getOut();
        out.println("watchtower " + tower.address() + " listening on " + tower.url() + " (chain " + chainId
                + ", contract " + contractAddress + ")");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The round in progress finishes first: its writes are what the next start resumes from.
            rounds.shutdown();
            awaitQuietly(rounds);
            tower.close();
            store.close();
            chain.close();
            stopped.countDown();
        }, "tower-stop"));
        awaitQuietly(stopped);
    }

    private TowerConfig config() {
        try {
            return TowerConfig.defaults().withListener(bind, port)
                    .withWindow(percent("--window-start", windowStart), percent("--stagger", stagger));
        } catch (IllegalArgumentException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, e.getMessage() + "; correct the option and start again");
        }
    }

    /** A failed round is logged and the next one tries again: the store holds where it stood. */
    private static void round(Watchtower tower) {
        try {
            tower.tick();
        } catch (RuntimeException e) {
            LOG.error("a tower round failed; the next one resumes from the store", e);
        }
    }

    private Chain connect() {
        try {
            return Chain.connect(RpcConfig.of(rpc.toArray(String[]::new)).withChainId(chainId));
        } catch (RpcException e) {
            throw new TurnpikeException(ErrorCode.CHAIN_UNREACHABLE, "cannot use the chain: " + e.getMessage()
                    + "; check --rpc and --chain-id", e);
        }
    }

    static StoreConfig storeConfig(String db) {
        if (db.startsWith("jdbc:")) {
            return StoreConfig.jdbc(db, null, null);
        }
        Path file = Path.of(db).toAbsolutePath();
        try {
            // The database holds every node's signed proofs and requests: only the tower's user reads it. A folder
            // the tower makes is 0700; one the operator chose is left as it is.
            if (!Files.isDirectory(file.getParent())) {
                PrivateFiles.directory(file.getParent());
            }
            // Made 0600 before SQLite opens it, which takes an empty file as a new database and gives its journal
            // files the same mode.
            if (!Files.exists(file)) {
                PrivateFiles.create(file, "");
            }
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATABASE_OPEN_FAILED, "cannot create the database " + file + ": "
                    + e.getMessage(), e);
        }
        return StoreConfig.jdbc("jdbc:sqlite:" + file, null, null);
    }

    static int percent(String option, String text) {
        String digits = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
        try {
            int value = Integer.parseInt(digits.trim());
            if (value >= 0 && value < 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the rule
        }
        throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, option + " is a whole percentage from 0% to 99%, got '" + text
                + "'");
    }

    private static Address address(String text) {
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "--contract: " + e.getMessage());
        }
    }

    private static String readPassphrase(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.PASSPHRASE_UNAVAILABLE, "cannot read the passphrase file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A refusal the operator can fix is one line, as the node's commands write it; anything else keeps its trace. */
    private static int report(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof TurnpikeException refused)) {
            throw e;
        }
        command.getErr().println(TurnpikeCommand.errorLine(refused));
        command.getErr().flush();
        return refused.code().exitStatus();
    }

    public static CommandLine commandLine() {
        return new CommandLine(new TowerCommand()).setExecutionExceptionHandler(TowerCommand::report);
    }

    public static void main(String[] args) {
        int status = commandLine().execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
