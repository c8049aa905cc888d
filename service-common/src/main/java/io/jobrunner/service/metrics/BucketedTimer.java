package io.jobrunner.service.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/** A Dropwizard timer over a {@link BucketedHistogram} in seconds, exported as a Prometheus histogram. */
public final class BucketedTimer extends Timer {

    private final BucketedHistogram histogram;

    public BucketedTimer() {
        this(new BucketedHistogram(BucketedHistogram.SECONDS, 1e-9));
    }

    private BucketedTimer(BucketedHistogram histogram) {
        super(new Meter(), histogram, Clock.defaultClock());
        this.histogram = histogram;
    }

    BucketedHistogram histogram() {
        return histogram;
    }

    /** The sum of every duration recorded, in seconds. */
    public double totalSeconds() {
        return histogram.sum();
    }

    /** The registry's timer of this name, created as a bucketed one. */
    public static Timer in(MetricRegistry registry, String name) {
        return registry.timer(name, BucketedTimer::new);
    }
}
