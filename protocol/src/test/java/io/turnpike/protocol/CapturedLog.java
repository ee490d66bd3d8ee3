package io.turnpike.protocol;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What every logger writes while it is open. slf4j-simple, the tests' logger, writes to whatever
 * {@link System#err} is at the time, so this takes its place; an error a test provokes on purpose stays out of
 * the build's output, and an assertion on {@link #linesAt} shows the lines when it fails.
 */
final class CapturedLog implements AutoCloseable {

    private final PrintStream original = System.err;
    /** Its methods are synchronized, so loggers on any thread may write while a test reads. */
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedLog() {
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    static CapturedLog start() {
        return new CapturedLog();
    }

    /** Lines logged at {@code level} ("ERROR", "WARN") so far, as slf4j-simple prints them: "[thread] LEVEL …". */
    List<String> linesAt(String level) {
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.matches("\\[[^]]*] " + level + " .*"))
                .toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
