package io.turnpike.bench;

import java.util.Arrays;

/**
 * Entry point of {@code ./turnpike bench [jmh args]}: the arguments are JMH's own, so
 * {@code ./turnpike bench CryptoBenchmark -f 1 -wi 2 -i 3} runs only the matching benchmarks and
 * {@code ./turnpike bench -l} lists them. The end-to-end tools are plain mains, run by their name:
 * {@code ./turnpike bench PeerSessionMemory [args]}.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (args.length == 0 ? "" : args[0]) {
            case "PeerSessionMemory" -> PeerSessionMemory.main(rest);
            case "PeerTransport" -> PeerTransportBench.main(rest);
            case "HttpStack" -> HttpStackBench.main(rest);
            case "node-payments" -> NodePayments.main(rest);
            default -> org.openjdk.jmh.Main.main(args);
        }
    }
}
