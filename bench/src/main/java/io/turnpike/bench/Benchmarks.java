package io.turnpike.bench;

/**
 * Entry point of {@code ./turnpike bench [jmh args]}: the arguments are JMH's own, so
 * {@code ./turnpike bench CryptoBenchmark -f 1 -wi 2 -i 3} runs only the matching benchmarks and
 * {@code ./turnpike bench -l} lists them.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
