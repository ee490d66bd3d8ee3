package io.turnpike.relay;

import io.turnpike.core.Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real curl (apt-get install curl), run as any program would use a SOCKS proxy. */
final class Curl {

    /** What curl transferred: request and response header bytes as sent and received, and the body. */
    record Result(int exitCode, long requestBytes, long headerBytes, long bodyBytes, String stderr) {
        long responseBytes() {
            return headerBytes + bodyBytes;
        }
    }

    /** A curl still running. */
    static final class Run {
        private final Process process;

        private Run(Process process) {
            this.process = process;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        Result await() throws IOException, InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("curl did not finish within 60 s");
            }
            String[] sizes = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .trim().split(" ");
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), Long.parseLong(sizes[0]), Long.parseLong(sizes[1]),
                    Long.parseLong(sizes[2]), stderr);
        }
    }

    private Curl() {
    }

    /** Downloads {@code url} into {@code output} through the SOCKS5 proxy on 127.0.0.1:{@code port}. */
    static Run start(int port, String url, Path output) throws IOException {
        return start(proxy(port), url, output);
    }

    /** The same, authenticating to the proxy as {@code client} with {@code token}. */
    static Run start(int port, Address client, String token, String url, Path output) throws IOException {
        List<String> args = new ArrayList<>(proxy(port));
        args.addAll(List.of("--proxy-user", client + ":" + token));
        return start(args, url, output);
    }

    static Result run(int port, String url, Path output) throws IOException, InterruptedException {
        return start(port, url, output).await();
    }

    static Result run(int port, Address client, String token, String url, Path output)
            throws IOException, InterruptedException {
        return start(port, client, token, url, output).await();
    }

    private static List<String> proxy(int port) {
        return List.of("--socks5-hostname", "127.0.0.1:" + port);
    }

    private static Run start(List<String> proxyArgs, String url, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "60",
                "--output", output.toString(), "--write-out", "%{size_request} %{size_header} %{size_download}"));
        command.addAll(proxyArgs);
        command.add(url);
        return new Run(new ProcessBuilder(command).start());
    }
}
