package io.turnpike.node.demo;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.ToolPaths;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.wallet.Keystore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A watchtower for the demo, run as an operator runs one ({@code ./turnpike tower …}): its own process, from the
 * tower module's build in this checkout, with its own keystore and database. The node never links the tower's code
 * (the tower is a lower layer); it only talks to the tower over HTTP, as the demo's provider node does.
 */
final class TowerProcess implements AutoCloseable {

    private static final String MAIN = "io.turnpike.tower.TowerCommand";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI url;
    private final Address address;
    private final Path log;

    private TowerProcess(Process process, URI url, Address address, Path log) {
        this.process = process;
        this.url = url;
        this.address = address;
        this.log = log;
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
        Path log = directory.resolve("tower.log");
        int port = DemoNodes.freePort();
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", build.resolve("classes") + ":" + Files.readString(classPathFile).strip(), MAIN,
                "--key-file", keyFile.toString(), "--passphrase-file", passphraseFile.toString(),
                "--rpc", anvil.rpcUrl(), "--chain-id", Long.toString(anvil.chainId()),
                "--contract", contract.toString(), "--db", directory.resolve("tower.db").toString(),
                "--port", Integer.toString(port), "--window-start", windowStartPercent + "%", "--stagger", "0%",
                "--interval", "1"))
                .redirectError(log.toFile())
                .start();
        // Ctrl-C skips the demo's own clean-up; the tower must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "tower-process-stop"));
        TowerProcess tower = new TowerProcess(process, URI.create("http://127.0.0.1:" + port), key.address(), log);
        try {
            tower.awaitListening();
        } catch (RuntimeException | IOException | InterruptedException e) {
            tower.close();
            throw e;
        }
        return tower;
    }

    /** Its first line on standard output says it listens; the rest is drained so the process never blocks on it. */
    private void awaitListening() throws IOException, InterruptedException {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("watchtower ")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("the watchtower stopped"));
        });
        try {
            listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the watchtower did not start: " + lastLines(), e);
        }
    }

    URI url() {
        return url;
    }

    Address address() {
        return address;
    }

    private String lastLines() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** Stops it as SIGTERM does, so it leaves its database consistent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
