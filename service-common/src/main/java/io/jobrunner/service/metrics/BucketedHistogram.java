package io.jobrunner.service.metrics;

import com.codahale.metrics.ExponentiallyDecayingReservoir;
import com.codahale.metrics.Histogram;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard histogram that also counts its values into fixed buckets and keeps their sum, so it can be
 * exported as a Prometheus histogram ({@code _bucket}, {@code _sum}, {@code _count}), whose quantiles add up
 * across processes (a Dropwizard snapshot's quantiles do not). The snapshot (for JMX and in-process readers)
 * is Dropwizard's as before.
 */
public final class BucketedHistogram extends Histogram {

    /** Bucket bounds for durations in seconds: 1 ms to 1 hour. */
    public static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

    private final double[] upperBounds;
    private final double scale;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    /**
     * @param upperBounds bucket upper bounds (inclusive), ascending, in exported units
     * @param scale       exported value per recorded unit (1e-9 for a timer: nanoseconds to seconds)
     */
    public BucketedHistogram(double[] upperBounds, double scale) {
        super(new ExponentiallyDecayingReservoir());
        for (int i = 1; i < upperBounds.length; i++) {
            if (upperBounds[i] <= upperBounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must ascend: " + Arrays.toString(upperBounds));
            }
        }
        this.upperBounds = upperBounds.clone();
        this.scale = scale;
        this.counts = new LongAdder[upperBounds.length];
        Arrays.setAll(counts, i -> new LongAdder());
    }

    @Override
    public void update(long value) {
        super.update(value);
        double scaled = value * scale;
        sum.add(scaled);
        int i = Arrays.binarySearch(upperBounds, scaled);
        int bucket = i >= 0 ? i : -i - 1; // the first bound >= the value; past the last bound only +Inf counts it
        if (bucket < counts.length) {
            counts[bucket].increment();
        }
    }

    public double[] upperBounds() {
        return upperBounds.clone();
    }

    /** Cumulative counts per bound (what {@code le} means), without the +Inf bucket ({@link #getCount()}). */
    public long[] cumulativeCounts() {
        long[] out = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i].sum();
            out[i] = running;
        }
        return out;
    }

    /** The sum of every value recorded, in exported units. */
    public double sum() {
        return sum.sum();
    }
}
