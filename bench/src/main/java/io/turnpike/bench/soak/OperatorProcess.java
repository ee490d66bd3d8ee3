package io.turnpike.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node or a watchtower run as an operator runs it: a JVM of its own on this process's class path, its output
 * appended to one log file over all its runs, so that the soak can SIGKILL it at any moment and start it again on
 * the same files. It counts as started once its log, since this start, holds {@code readyLine}.
 */
final class OperatorProcess implements AutoCloseable {

    /** Generous: on a small machine shared with builds a JVM can take a minute to print its first line. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final String name;
    private final List<String> command;
    private final String readyLine;
    private final Path log;
    private Process process;

    private OperatorProcess(String name, String mainClass, List<String> arguments, String readyLine, Path log) {
        this.name = name;
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-Dstdout.encoding=UTF-8", "-cp", System.getProperty("java.class.path"), mainClass));
        line.addAll(arguments);
        this.command = List.copyOf(line);
        this.readyLine = readyLine;
        this.log = log;
    }

    /** `turnpike node --datadir … --passphrase-file …`, not started yet. */
    static OperatorProcess node(String name, Path datadir, Path passphraseFile) {
        return new OperatorProcess(name, "io.turnpike.node.cli.TurnpikeCommand",
                List.of("node", "--datadir", datadir.toString(), "--passphrase-file", passphraseFile.toString()),
                " running on chain ", datadir.resolveSibling(name + ".log"));
    }

    /** `turnpike tower …` with {@code arguments}, its files in {@code directory}; not started yet. */
    static OperatorProcess tower(Path directory, List<String> arguments) {
        return new OperatorProcess("tower", "io.turnpike.tower.TowerCommand", arguments, "watchtower ",
                directory.resolve("tower.log"));
    }

    String name() {
        return name;
    }

    /** Starts it (again) and waits until it says it runs. */
    void start() throws InterruptedException {
        long logged = logSize();
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!logSince(logged).contains(readyLine)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + name + " exited while starting:\n" + tail(logSince(logged)));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the " + name + " did not start within " + START_TIMEOUT + ":\n"
                        + tail(logSince(logged)));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, as a crash or the OOM killer: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the " + name + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM, as an operator stops it; SIGKILL if it has not exited after 30 s. */
    void stop() throws InterruptedException {
        if (!isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (isAlive()) {
            process.destroyForcibly();
        }
    }

    /** The last lines of {@code text}: why a process failed is at the end of its log. */
    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
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
            int from = (int) Math.min(offset, bytes.length);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
