package io.turnpike.paywall;

import static org.assertj.core.api.Assertions.fail;

import io.turnpike.chain.anvil.ToolPaths;
import io.turnpike.http.JsonObjectReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the x402 scripts in {@code tools/x402} with node, against the npm packages pinned in tools/package.json. */
final class NodeScript {

    private NodeScript() {
    }

    private static ProcessBuilder command(String script, Map<String, String> env, String... args) {
        Path path = ToolPaths.repository().resolve("tools/x402").resolve(script);
        List<String> command = new ArrayList<>(List.of("node", path.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return builder;
    }

    /** Runs a script to its end and reads the JSON line it prints. */
    static JsonObjectReader run(String script, Map<String, String> env, String... args) {
        try {
            Process process = command(script, env, args).redirectError(ProcessBuilder.Redirect.PIPE).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                fail(script + " failed: " + out + err);
            }
            return JsonObjectReader.parse(out.strip().lines().reduce((a, b) -> b).orElseThrow()
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A server script that prints "listening PORT" once it serves; the caller stops it. */
    record Server(Process process, int port) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static Server serve(String script, Map<String, String> env) {
        try {
            Process process = command(script, env).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("listening ")) {
                process.destroyForcibly();
                fail(script + " did not start: " + line);
            }
            return new Server(process, Integer.parseInt(line.substring("listening ".length()).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
