package io.turnpike.node.daemon;

import io.turnpike.node.NodeHome;
import io.turnpike.node.cli.TurnpikeCommand;
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
 * A node (or another of this build's daemons) run as an operator runs it: a JVM of its own on this process's class
 * path, its output appended to one log file over all its runs, so that a test or the chaos soak can SIGKILL it at any
 * moment and start it again on the same files. It counts as started once its log, since this start, holds
 * {@code readyLine}. It lives in the node, not in a test jar, because {@code ./turnpike soak} runs it from bench's
 * runtime class path.
 */
public final class OperatorProcess implements AutoCloseable {

    /** Generous: on a small machine shared with builds a JVM can take a minute to print its first line. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final List<String> command;
    private final String readyLine;
    private final Path log;
    private Process process;

    private OperatorProcess(String name, String classPath, String mainClass, List<String> arguments, String readyLine,
                            Path log) {
        this.name = name;
        // Its output is read back as UTF-8 whatever the locale ("stopping…").
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-Dstdout.encoding=UTF-8", "-cp", classPath, mainClass));
        line.addAll(arguments);
        this.command = List.copyOf(line);
        this.readyLine = readyLine;
        this.log = log;
    }

    /**
     * `turnpike node --datadir … --passphrase-file …`, not started yet; named after its data directory, its log beside
     * it.
     */
    public static OperatorProcess node(NodeHome home, Path passphraseFile) {
        Path datadir = home.directory();
        String name = datadir.getFileName().toString();
        return new OperatorProcess(name, System.getProperty("java.class.path"), TurnpikeCommand.class.getName(),
                List.of("node", "--datadir", datadir.toString(), "--passphrase-file", passphraseFile.toString()),
                " running on chain ", datadir.resolveSibling(name + ".log"));
    }

    /**
     * {@code mainClass} of this process's class path with {@code arguments}, started once its output holds
     * {@code readyLine}; not started yet.
     */
    public static OperatorProcess of(String name, String mainClass, List<String> arguments, String readyLine,
                                     Path log) {
        return of(name, System.getProperty("java.class.path"), mainClass, arguments, readyLine, log);
    }

    /** Like {@link #of(String, String, List, String, Path)} on {@code classPath}: a daemon the node does not link. */
    public static OperatorProcess of(String name, String classPath, String mainClass, List<String> arguments,
                                     String readyLine, Path log) {
        return new OperatorProcess(name, classPath, mainClass, arguments, readyLine, log);
    }

    public String name() {
        return name;
    }

    /** Starts it (again, after {@link #kill()} or a stop) and waits until it says it runs. */
    public void start() throws InterruptedException {
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

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash or the OOM killer: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the " + name + " survived SIGKILL for " + STOP_TIMEOUT);
        }
    }

    /** SIGTERM, as an operator stops it; SIGKILL if it has not exited after 30 s. */
    public void stop() throws InterruptedException {
        if (!isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
        }
    }

    /**
     * Sends {@code signal} (TERM, INT) as `kill -s` does and returns its exit status once it has exited; refuses, after
     * a SIGKILL, one that has not exited within 30 s.
     */
    public int stop(String signal) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -s " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("the " + name + " did not stop within " + STOP_TIMEOUT + " of SIG" + signal
                    + ":\n" + tail(log()));
        }
        return process.exitValue();
    }

    /** Everything it printed, over all its runs. */
    public String log() {
        return logSince(0);
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
