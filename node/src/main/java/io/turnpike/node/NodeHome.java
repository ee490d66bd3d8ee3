package io.turnpike.node;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.config.ConfigLoader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.wallet.Keystore;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A node's data directory: where its files are, its settings, its one key and its database. Opening a node goes
 * through here in an order that writes nothing until every check has passed: settings, key, chain, contract, the
 * data directory's lock, and only then the database, which itself refuses to serve another key, chain or contract.
 *
 * <pre>
 * &lt;datadir&gt;/             0700
 *   turnpike.conf          0600  settings over the defaults
 *   keystore/              0700
 *     UTC--…--&lt;address&gt;    0600  the node's key, encrypted (V3)
 *   api.token              0600  the HTTP API's bearer token
 *   node.lock              0600  locked by the node running here, which writes its process id into it
 *   turnpike.db            the SQLite database, unless turnpike.store.jdbc-url names another
 * </pre>
 */
public final class NodeHome {

    public static final String DEFAULT_DIRECTORY = ".turnpike";
    public static final String CONFIG_FILE = "turnpike.conf";
    public static final String KEYSTORE_DIRECTORY = "keystore";
    public static final String API_TOKEN_FILE = "api.token";
    public static final String LOCK_FILE = "node.lock";

    private final Path directory;

    private NodeHome(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public static NodeHome at(Path directory) {
        return new NodeHome(directory);
    }

    /** {@code datadir} if given, else ~/.turnpike. */
    public static NodeHome at(Optional<Path> datadir, Environment environment) {
        return at(datadir.orElseGet(() -> environment.userHome().resolve(DEFAULT_DIRECTORY)));
    }

    public Path directory() {
        return directory;
    }

    public Path configFile() {
        return directory.resolve(CONFIG_FILE);
    }

    public Path keystoreDirectory() {
        return directory.resolve(KEYSTORE_DIRECTORY);
    }

    public Path apiTokenFile() {
        return directory.resolve(API_TOKEN_FILE);
    }

    /** Locked while a node runs here ({@link DataDirectoryLock}). */
    public Path lockFile() {
        return directory.resolve(LOCK_FILE);
    }

    /** Whether {@code init} has run here: any of its files is enough to refuse running it again. */
    public boolean isInitialised() {
        return Files.exists(configFile()) || Files.exists(keystoreDirectory()) || Files.exists(apiTokenFile())
                || Files.exists(directory.resolve(StoreConfig.SQLITE_FILE));
    }

    /** @throws TurnpikeException {@link ErrorCode#DATADIR_ALREADY_INITIALISED} if {@code init} has run here */
    public void refuseIfInitialised() {
        if (isInitialised()) {
            throw new TurnpikeException(ErrorCode.DATADIR_ALREADY_INITIALISED, directory + " is already a data directory; "
                    + "nothing was changed. Use another --datadir, or move this one away once its key is backed up.");
        }
    }

    /** The layered settings, checked. */
    public NodeConfig loadConfig(Environment environment) {
        requireInitialised();
        return ConfigLoader.load(configFile(), environment.variables(), environment.systemProperties());
    }

    /** The node's key (still encrypted). */
    public Keystore keystore() {
        return Keystore.read(keystoreFile());
    }

    /** The one keystore file in the keystore folder. */
    public Path keystoreFile() {
        List<Path> files = keystoreFiles();
        if (files.isEmpty()) {
            throw new TurnpikeException(ErrorCode.DATADIR_NOT_INITIALISED, "there is no key in " + keystoreDirectory()
                    + ". Put one there with 'turnpike wallet import FILE --datadir " + directory + "'.");
        }
        if (files.size() > 1) {
            throw new TurnpikeException(ErrorCode.KEYSTORE_UNREADABLE, keystoreDirectory() + " holds " + files.size()
                    + " keystore files, and a node has one key. Move the ones this node should not use elsewhere.");
        }
        return files.get(0);
    }

    /**
     * Sets up a new data directory holding {@code key}: the folders, the key, a commented turnpike.conf, a
     * fresh API token and the lock file, so that a node refused later has nothing to create.
     *
     * @return the keystore file
     * @throws TurnpikeException {@link ErrorCode#DATADIR_ALREADY_INITIALISED} if there is one here already; nothing is
     *     changed then
     */
    public Path initialise(Keystore key, SecureRandom random) {
        refuseIfInitialised();
        List<Path> created = new ArrayList<>();
        try {
            if (!Files.exists(directory)) {
                created.add(directory);
            }
            PrivateFiles.directory(directory);
            PrivateFiles.directory(keystoreDirectory());
            created.add(keystoreDirectory());
            Path keystore = writeKey(key);
            created.add(keystore);
            PrivateFiles.create(configFile(), ConfigLoader.operatorFileTemplate());
            created.add(configFile());
            byte[] token = new byte[32];
            random.nextBytes(token);
            PrivateFiles.create(apiTokenFile(), HexFormat.of().formatHex(token) + "\n");
            created.add(apiTokenFile());
            PrivateFiles.create(lockFile(), "");
            return keystore;
        } catch (IOException e) {
            removeCreated(created);
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot set up " + directory + ": " + e.getMessage()
                    + ". Check that its parent is writable; nothing was left behind.", e);
        }
    }

    /**
     * @throws TurnpikeException {@link ErrorCode#KEY_EXISTS} if this data directory holds a key: its database is bound to
     *     that key, so a second one is never added or swapped in
     */
    public void refuseIfKeyPresent() {
        requireInitialised();
        if (!keystoreFiles().isEmpty()) {
            throw new TurnpikeException(ErrorCode.KEY_EXISTS, directory + " already holds a key (" + keystore().address()
                    + "), and a data directory has one key that its database is bound to. Nothing was changed. To "
                    + "run a node with the other key, use 'turnpike init --import FILE --datadir NEW_DIR'.");
        }
    }

    /** Puts {@code key} into an initialised data directory that has none (its key was moved out). */
    public Path importKey(Keystore key) {
        refuseIfKeyPresent();
        try {
            return writeKey(key);
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot write to " + keystoreDirectory() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Opens everything a running node needs, checking as it goes and writing nothing until the last step. The
     * context holds the data directory's lock until it is closed.
     *
     * @param passphrase asked only once the settings have been read
     * @throws TurnpikeException a setting, the key, the passphrase, the chain or the contract is wrong; another node
     *     runs here ({@link ErrorCode#ALREADY_RUNNING})
     * @throws io.turnpike.store.StoreException {@code IDENTITY_MISMATCH} if the database belongs to another key,
     *     chain or contract, {@code LOCKED} if another node uses it; nothing is written then either
     */
    public NodeContext open(Environment environment, Supplier<String> passphrase) {
        NodeConfig config = loadConfig(environment);
        Address contract = config.chain().contract().orElseThrow(() -> new TurnpikeException(ErrorCode.SETTING_MISSING,
                "turnpike.chain.contract is not set; a node needs the TurnpikeChannels contract it uses. Set it in "
                        + configFile() + "."));
        Keystore keystore = keystore();
        PrivateKey key = keystore.unlock(passphrase.get());
        Chain chain = ChainEndpoints.connect(config.chain());
        DataDirectoryLock lock = null;
        try {
            requireTurnpikeChannels(chain, contract);
            lock = DataDirectoryLock.acquire(this);
            Store store = Store.open(storeConfig(config), new NodeIdentity(key.address(), chain.chainId(), contract));
            lock.recordHolder();
            return new NodeContext(this, config, key, chain, store, lock);
        } catch (RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            chain.close();
            throw e;
        }
    }

    /**
     * The database is bound to the contract for good on its first open, so an address that is not a TurnpikeChannels
     * deployment on this chain (a typo, a token's address, another chain's deployment) is refused before that.
     */
    private void requireTurnpikeChannels(Chain chain, Address contract) {
        ChannelsContract.Deployment found = ChannelsContract.at(chain, contract).deployment();
        if (found != ChannelsContract.Deployment.TURNPIKE_CHANNELS) {
            String holds = found == ChannelsContract.Deployment.NO_CODE ? "holds no contract"
                    : "holds a contract that is not TurnpikeChannels";
            throw new TurnpikeException(ErrorCode.NOT_TURNPIKE_CHANNELS, "turnpike.chain.contract " + contract + " " + holds
                    + " on chain " + chain.chainId() + "; nothing was bound to it. Set it in " + configFile()
                    + " to the address of the TurnpikeChannels deployment this node uses.");
        }
    }

    /** Exclusive: one node per database, as per data directory. */
    private StoreConfig storeConfig(NodeConfig config) {
        NodeConfig.Store store = config.store();
        return store.jdbcUrl()
                .map(url -> StoreConfig.jdbc(url, store.user().orElse(null), store.password().orElse(null)))
                .orElseGet(() -> StoreConfig.sqlite(directory))
                .exclusively();
    }

    private void requireInitialised() {
        if (!Files.isDirectory(keystoreDirectory())) {
            throw new TurnpikeException(ErrorCode.DATADIR_NOT_INITIALISED, directory + " is not a Turnpike data directory. "
                    + "Create it with 'turnpike init --datadir " + directory + "'.");
        }
    }

    private List<Path> keystoreFiles() {
        requireInitialised();
        try (Stream<Path> files = Files.list(keystoreDirectory())) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot list " + keystoreDirectory() + ": " + e.getMessage()
                    + ". Check its permissions.", e);
        }
    }

    private Path writeKey(Keystore key) throws IOException {
        Path file = keystoreDirectory().resolve(key.fileName(Clock.systemUTC().instant()));
        PrivateFiles.create(file, key.json());
        return file;
    }

    /** Newest first, so a folder is empty by the time it is removed. */
    private static void removeCreated(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException cleanupFailed) {
                // Best effort: the operator needs to see the failure that stopped init, not this one.
            }
        }
    }

    @Override
    public String toString() {
        return "NodeHome[" + directory + "]";
    }
}
