package io.turnpike.node.demo;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.chain.anvil.ToolPaths;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.daemon.OperatorProcess;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A watchtower for the demo, run as an operator runs one ({@code ./turnpike tower …}): its own process, from the
 * tower module's build in this checkout, with its own keystore and database. The node never links the tower's code
 * (the tower is a lower layer); it only talks to the tower over HTTP, as the demo's provider node does.
 */
final class TowerProcess implements AutoCloseable {

    private final OperatorProcess process;
    private final URI url;
    private final Address address;

    private TowerProcess(OperatorProcess process, URI url, Address address) {
        this.process = process;
        this.url = url;
        this.address = address;
    }

    /**
     * Starts a tower with {@code key} for {@code contract} on {@code anvil}, keeping its files in {@code directory},
     * and waits until its API listens.
     *
     * @param windowStartPercent how far into a challenge period the tower waits before it answers a close
     */
    static TowerProcess start(Path directory, PrivateKey key, Anvil anvil, Address contract, int windowStartPercent)
            throws IOException, InterruptedException {
        Path build = ToolPaths.repository().resolve("tower/target");
        Path classPathFile = build.resolve("classpath.txt");
        if (!Files.isRegularFile(classPathFile)) {
            throw new IllegalStateException("the watchtower is not built (" + classPathFile + " is missing); run the "
                    + "demo through ./turnpike, which builds it");
        }
        Files.createDirectories(directory);
        Path keyFile = Files.writeString(directory.resolve("tower-key.json"),
                Keystore.encrypt(key, DemoNodes.PASSPHRASE, Keystore.Kdf.LIGHT).json());
        Path passphraseFile = Files.writeString(directory.resolve("passphrase"), DemoNodes.PASSPHRASE + "\n");
        int port = FreePort.take();
        String classPath = build.resolve("classes") + ":" + Files.readString(classPathFile).strip();
        OperatorProcess process = OperatorProcess.of("watchtower", classPath, "io.turnpike.tower.TowerCommand",
                List.of("--key-file", keyFile.toString(), "--passphrase-file", passphraseFile.toString(),
                        "--rpc", anvil.rpcUrl(), "--chain-id", Long.toString(anvil.chainId()),
                        "--contract", contract.toString(), "--db", directory.resolve("tower.db").toString(),
                        "--port", Integer.toString(port), "--window-start", windowStartPercent + "%", "--stagger", "0%",
                        "--interval", "1"),
                "watchtower ", directory.resolve("tower.log"));
        // Ctrl-C skips the demo's own clean-up; the tower must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "tower-process-stop"));
        try {
            process.start();
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
        return new TowerProcess(process, URI.create("http://127.0.0.1:" + port), key.address());
    }

    URI url() {
        return url;
    }

    Address address() {
        return address;
    }

    /** Stops it as SIGTERM does, so it leaves its database consistent. */
    @Override
    public void close() {
        try {
            process.stop();
        } catch (InterruptedException e) {
            process.close();
            Thread.currentThread().interrupt();
        }
    }
}
