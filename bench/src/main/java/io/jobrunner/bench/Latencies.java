package io.jobrunner.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded, thread-safe record of latencies in nanoseconds: slots are taken with one atomic increment,
 * samples beyond the capacity are counted but not kept. Percentiles are read after the writers stopped.
 */
public final class Latencies {

    private final long[] values;
    private final AtomicInteger next = new AtomicInteger();

    public Latencies(int capacity) {
        this.values = new long[capacity];
    }

    public void record(long nanos) {
        int i = next.getAndIncrement();
        if (i < values.length) {
            values[i] = nanos;
        }
    }

    /** Samples kept (at most the capacity). */
    public int count() {
        return Math.min(next.get(), values.length);
    }

    /** Samples offered, kept or not. */
    public int offered() {
        return next.get();
    }

    /** The kept samples, sorted ascending. */
    public long[] sorted() {
        long[] copy = Arrays.copyOf(values, count());
        Arrays.sort(copy);
        return copy;
    }

    /** The p-th percentile (0 < p <= 100) of sorted values, nearest rank; NaN when empty. */
    public static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9); // the epsilon absorbs 99.9/100*1000 = 999.0000000000001
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Percentile in milliseconds. */
    public static double percentileMillis(long[] sorted, double p) {
        return percentile(sorted, p) / 1e6;
    }
}
