package io.turnpike.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Every latency sample of a measurement, in nanoseconds, kept whole so that percentiles are exact (a
 * few hundred thousand longs; no histogram library is on the bench class path). Not thread-safe: one
 * writer, read after it has stopped.
 */
final class LatencySamples {

    private long[] samples = new long[1 << 12];
    private int size;

    void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    int size() {
        return size;
    }

    /** All samples of {@code parts}, sorted. */
    static Sorted merge(Collection<LatencySamples> parts) {
        long[] all = new long[parts.stream().mapToInt(LatencySamples::size).sum()];
        int at = 0;
        for (LatencySamples part : parts) {
            System.arraycopy(part.samples, 0, all, at, part.size);
            at += part.size;
        }
        Arrays.sort(all);
        return new Sorted(all);
    }

    /** Samples in ascending order. */
    record Sorted(long[] nanos) {

        /** The nearest-rank percentile, in microseconds; 0 without samples. */
        double percentileMicros(double percent) {
            if (nanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(percent / 100 * nanos.length);
            return nanos[Math.clamp(rank - 1, 0, nanos.length - 1)] / 1_000.0;
        }

        double maxMicros() {
            return nanos.length == 0 ? 0 : nanos[nanos.length - 1] / 1_000.0;
        }
    }
}
