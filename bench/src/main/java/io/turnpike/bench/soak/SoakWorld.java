package io.turnpike.bench.soak;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.Environment;
import io.turnpike.node.NodeHome;
import io.turnpike.node.api.ApiClient;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.daemon.OperatorProcess;
import io.turnpike.node.demo.ContentServer;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.PeerLink;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the soak runs: an anvil whose state survives its restarts, the channels contract, a provider node
 * selling bandwidth, a watchtower it hands its proofs to, and client nodes buying bandwidth through their own
 * {@link PeerLink} to the provider's peer port, each with a download loop through its local SOCKS5 entry. Each
 * party's balance is read once everything is funded, for the audit.
 */
final class SoakWorld implements AutoCloseable {

    static final long CHAIN_ID = 31337;
    /** The shortest challenge period the contract takes: cheating closes are answered, and settled, quickly. */
    static final long CHALLENGE_PERIOD = 60;
    /** What the provider offers the tower for answering a stale close. */
    static final Amount REWARD = Amount.of(500_000_000_000_000L);
    /** The tower leaves the provider the first 20 % of a challenge period to answer by itself. */
    static final int WINDOW_START_PERCENT = 20;
    static final long PRICE_PER_BYTE = 1000;
    private static final Amount FUNDING = Amount.parse("10", 18);
    /** The content server's pace for each download. */
    private static final long BYTES_PER_SECOND = 1_000_000;
    private static final long DOWNLOAD = 400_000;
    /** How long a request anvil already took may still run once the link to it is cut. */
    private static final long REQUEST_IN_FLIGHT_MILLIS = 250;

    /** A client node and what drives it: its link to the provider and its download loop. */
    final class Buyer {
        final String name;
        final NodeHome home;
        final Address address;
        final boolean direct;
        final PeerLink link;
        final int socks;
        final AtomicLong bytes = new AtomicLong();
        volatile boolean paused;
        OperatorProcess process;
        private Thread downloads;

        Buyer(String name, NodeHome home, boolean direct, PeerLink link, int socks) {
            this.name = name;
            this.home = home;
            this.address = home.keystore().address();
            this.direct = direct;
            this.link = link;
            this.socks = socks;
        }

        ApiClient api() {
            return SoakWorld.api(home);
        }

        /**
         * {@link #caughtUp}, or it has no channel to pay through: one closed mid-stream leaves nothing to pay with
         * until it settles, and the debt stays on both ledgers, unpaid, which is no loss.
         */
        boolean caughtUpOrCannotPay(ApiClient own, ApiClient atProvider) {
            try {
                return caughtUp(own, atProvider) || !direct && Chaos.openChannel(own).isEmpty();
            } catch (TurnpikeException | UncheckedIOException notYet) {
                return false;
            }
        }

        /** It owes nothing and has nothing in flight, and the provider counts as paid what it paid. */
        boolean caughtUp(ApiClient own, ApiClient atProvider) {
            try {
                PeerView view = own.peers().getFirst();
                Amount paidAtProvider = atProvider.peers().stream().filter(p -> p.address().equals(address))
                        .map(PeerView::paid).findFirst().orElse(Amount.ZERO);
                return view.owed().isZero() && view.inFlight().isZero() && view.paid().equals(paidAtProvider);
            } catch (TurnpikeException | UncheckedIOException notYet) {
                return false;
            }
        }

        /** Downloads through the node's SOCKS5 entry, one after another, whatever happens to the nodes. */
        void startDownloads() {
            downloads = Thread.ofPlatform().daemon().name(name + "-downloads").start(() -> {
                while (!stopping) {
                    try {
                        if (paused) {
                            TimeUnit.MILLISECONDS.sleep(100);
                            continue;
                        }
                        DemoNodes.fetch(socks, content, DOWNLOAD, bytes);
                    } catch (UncheckedIOException down) {
                        pause(); // a node, the link or the relay is down for a moment
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    final Path directory;
    final Path stateFile;
    final int anvilPort;
    volatile Anvil anvil;
    /** How the nodes and the tower reach anvil; the soak and its audit reach it directly. */
    private final PeerLink chainLink;
    final Chain chain;
    final ChannelsContract contract;
    final ContentServer content;
    final Path passphraseFile;
    final NodeHome providerHome;
    final Address providerAddress;
    final PrivateKey towerKey;
    final List<Buyer> buyers = new ArrayList<>();
    final long startBlock;
    /** Every party's balance once funded: provider, tower, then the buyers in order. */
    final List<Amount> balancesBefore = new ArrayList<>();
    /** Each party's next nonce when the soak began: every nonce from there on must be in a block at the end. */
    final Map<Address, Long> noncesBefore = new HashMap<>();
    OperatorProcess provider;
    OperatorProcess tower;
    private final List<String> towerArguments;
    private volatile boolean stopping;

    SoakWorld(Path directory, int clients) throws IOException {
        this.directory = directory;
        this.stateFile = directory.resolve("anvil-state.json");
        this.anvilPort = FreePort.take();
        this.anvil = Anvil.start(CHAIN_ID, stateFile, anvilPort);
        this.chainLink = PeerLink.toChain(anvilPort);
        String rpcUrl = "http://127.0.0.1:" + chainLink.port();
        this.chain = anvil.connect();
        ChainAccount operator = chain.account(anvil.devKeys().get(0));
        this.contract = ChannelsContract.deploy(operator, CHALLENGE_PERIOD, 30L * 24 * 3600);
        this.content = ContentServer.start(BYTES_PER_SECOND);
        this.passphraseFile = Files.writeString(directory.resolve("passphrase"), DemoNodes.PASSPHRASE + "\n");
        SecureRandom random = new SecureRandom();

        this.towerKey = PrivateKey.random(random);
        operator.transfer(towerKey.address(), FUNDING);
        Path towerDir = Files.createDirectories(directory.resolve("tower"));
        Path towerKeyFile = Files.writeString(towerDir.resolve("tower-key.json"),
                Keystore.encrypt(towerKey, DemoNodes.PASSPHRASE, Keystore.Kdf.LIGHT).json());
        int towerPort = FreePort.take();
        this.towerArguments = List.of("--key-file", towerKeyFile.toString(), "--passphrase-file",
                passphraseFile.toString(), "--rpc", rpcUrl, "--chain-id", Long.toString(CHAIN_ID),
                "--contract", contract.address().toString(), "--db", towerDir.resolve("tower.db").toString(),
                "--port", Integer.toString(towerPort), "--window-start", WINDOW_START_PERCENT + "%", "--stagger", "0%",
                "--interval", "1");

        this.providerHome = DemoNodes.home(directory.resolve("provider"), operator, FUNDING, random);
        this.providerAddress = providerHome.keystore().address();
        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        String onChain = DemoNodes.onChain(CHAIN_ID, rpcUrl, contract.address());
        DemoNodes.configure(providerHome, onChain + "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                + DemoNodes.provider(relay, Long.toString(PRICE_PER_BYTE), "40000000000", "statement-interval = 1s", "")
                + "towers = [{url = \"http://127.0.0.1:" + towerPort + "\", address = \"" + towerKey.address()
                + "\", reward = \"" + REWARD.value() + "\"}]\ntower-upload-interval = 1s\n" + api());

        for (int i = 0; i < clients; i++) {
            // With three clients or more, the last pays by direct on-chain transfers instead of a channel.
            boolean direct = clients >= 3 && i == clients - 1;
            NodeHome home = DemoNodes.home(directory.resolve("client-" + i), operator, FUNDING, random);
            PeerLink link = new PeerLink(providerPeer);
            int socks = FreePort.take();
            DemoNodes.configure(home, onChain + "peer { bind = \"127.0.0.1\", port = " + FreePort.take() + " }\n"
                    + "client { providers = [{url = \"" + link.uri() + "\", address = \"" + providerAddress
                    + "\", relay = \"127.0.0.1:" + relay + "\", settlement = \"" + (direct ? "direct" : "channel")
                    + "\"}], socks-port = " + socks + ", deposit = \"0.1\", pay-interval = 1s, challenge-period = "
                    + CHALLENGE_PERIOD + "s }\n" + api());
            buyers.add(new Buyer("client-" + i, home, direct, link, socks));
        }
        this.startBlock = chain.head();
        balancesBefore.add(chain.balance(providerAddress));
        balancesBefore.add(chain.balance(towerKey.address()));
        buyers.forEach(b -> balancesBefore.add(chain.balance(b.address)));
        noncesBefore.put(providerAddress, chain.nonce(providerAddress));
        noncesBefore.put(towerKey.address(), chain.nonce(towerKey.address()));
        buyers.forEach(b -> noncesBefore.put(b.address, chain.nonce(b.address)));
    }

    /** Starts the tower, the provider and the clients as processes, and the clients' downloads. */
    void start() throws InterruptedException {
        // Each is known before it starts, so that close() stops one that never got as far as saying it runs.
        tower = OperatorProcess.of("tower", "io.turnpike.tower.TowerCommand", towerArguments, "watchtower ",
                directory.resolve("tower").resolve("tower.log"));
        provider = OperatorProcess.node(providerHome, passphraseFile);
        for (Buyer buyer : buyers) {
            buyer.process = OperatorProcess.node(buyer.home, passphraseFile);
        }
        tower.start();
        provider.start();
        // The clients start side by side: each JVM takes seconds to start on a small machine.
        List<Thread> starting = new ArrayList<>();
        List<RuntimeException> failed = new CopyOnWriteArrayList<>();
        for (Buyer buyer : buyers) {
            starting.add(Thread.ofVirtual().start(() -> {
                try {
                    buyer.process.start();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failed.add(e);
                }
            }));
        }
        for (Thread thread : starting) {
            thread.join();
        }
        if (!failed.isEmpty()) {
            throw failed.getFirst();
        }
        buyers.forEach(Buyer::startDownloads);
    }

    /** Every node process: the provider, the tower, then the clients. */
    List<OperatorProcess> processes() {
        List<OperatorProcess> all = new ArrayList<>(List.of(provider, tower));
        buyers.forEach(b -> all.add(b.process));
        return all;
    }

    /**
     * Stops anvil (it writes its state) and starts it again on the same port from that state.
     *
     * @return how many blocks lower than it stopped at the chain came back (0 when its state held every block): the
     *         nodes then see a re-org as deep as that, and the audit reads only what the chain still has
     */
    long restartAnvil(long downMillis) throws InterruptedException {
        // Nothing reaches anvil while it stops and writes its state: a transaction it mined as it was writing could
        // come back counted in the accounts but in no block, which no chain does.
        chainLink.cut();
        TimeUnit.MILLISECONDS.sleep(REQUEST_IN_FLIGHT_MILLIS);
        long stoppedAt = newestBlock();
        anvil.close();
        TimeUnit.MILLISECONDS.sleep(downMillis);
        anvil = Anvil.start(CHAIN_ID, stateFile, anvilPort);
        chainLink.restore();
        return Math.max(0, stoppedAt - newestBlock());
    }

    /** The chain's newest block as it stands, lower than before if it went back ({@link Chain#head()} refuses that). */
    long newestBlock() {
        return chain.latestBlock().getNumber().longValueExact();
    }

    /** Ends the download loops; a download under way is abandoned. */
    void stopDownloads() throws InterruptedException {
        stopping = true;
        for (Buyer buyer : buyers) {
            if (buyer.downloads != null) {
                buyer.downloads.join(java.time.Duration.ofSeconds(10));
            }
        }
    }

    static ApiClient api(NodeHome home) {
        return ApiClient.of(home, home.loadConfig(new Environment(Map.of(), Map.of(), Optional.empty())));
    }

    /** The HTTP API on a port of its own, so that the nodes run side by side and the soak drives each. */
    private static String api() {
        return "api { bind = \"127.0.0.1\", port = " + FreePort.take() + " }\n";
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every process it started and stops the chain, whatever state they are in. */
    @Override
    public void close() {
        stopping = true;
        for (Buyer buyer : buyers) {
            if (buyer.process != null) {
                buyer.process.close();
            }
            buyer.link.close();
        }
        if (provider != null) {
            provider.close();
        }
        if (tower != null) {
            tower.close();
        }
        content.close();
        chainLink.close();
        chain.close();
        anvil.close();
    }
}
