package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.node.cli.TurnpikeCommand;
import io.turnpike.node.fixtures.DataDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node run as an operator runs it — `turnpike node --datadir … --passphrase-file …` in a JVM of its own, on this
 * test's class path — so that a test can kill it with SIGKILL at any moment and start it again on the same data
 * directory. Its output goes to a log file beside the data directory, kept across restarts.
 */
final class NodeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final DataDirs.Initialised dir;
    private final Path log;
    private Process process;

    private NodeProcess(DataDirs.Initialised dir) {
        this.dir = dir;
        this.log = dir.directory().resolveSibling(dir.directory().getFileName() + ".log");
    }

    /** Starts the node and returns once it says it is running. */
    static NodeProcess start(DataDirs.Initialised dir) throws InterruptedException {
        NodeProcess node = new NodeProcess(dir);
        node.start();
        return node;
    }

    /** SIGKILL, as a crash or the OOM killer: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Starts the node again on the same data directory, after {@link #kill()} or {@link #stop()}. */
    void start() throws InterruptedException {
        long logged = logSize();
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Its output is read back as UTF-8 whatever the locale ("stopping…").
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-Dstdout.encoding=UTF-8",
                "-cp", System.getProperty("java.class.path"), TurnpikeCommand.class.getName(), "node",
                "--datadir", dir.directory().toString(), "--passphrase-file", dir.passphraseFile().toString());
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!logSince(logged).contains(" running on chain ")) {
            assertThat(process.isAlive()).as("the node exited while starting:%n%s", logSince(logged)).isTrue();
            assertThat(System.nanoTime()).as("the node did not start within %s:%n%s", START_TIMEOUT, logSince(logged))
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** SIGTERM, as an operator stops it: the node closes its store and exits. */
    void stop() throws InterruptedException {
        stop("TERM");
    }

    /** Sends {@code signal} (TERM, INT) as `kill -s` does; returns the node's exit status once it has exited. */
    int stop(String signal) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -s %s", signal).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the node stops on SIG%s", signal).isTrue();
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** Everything the node printed, over all its runs. */
    String log() {
        return logSince(0);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logSince(long offset) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(log);
            return new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
