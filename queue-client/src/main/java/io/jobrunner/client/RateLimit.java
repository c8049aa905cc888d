package io.jobrunner.client;

import java.time.Duration;

/**
 * A cluster-wide rate limit: at most {@code limit} jobs started per {@code per}, spaced evenly (one token per
 * {@code per / limit}), of which {@code burst} may start at once after an idle spell. Over any window W at most
 * {@code burst + W * limit / per} starts are granted, across every runner.
 *
 * @param limit jobs per period (at least 1)
 * @param per   the period (at least 1 ms)
 * @param burst tokens a full bucket holds (1 to limit): 1 spaces every start evenly
 */
public record RateLimit(int limit, Duration per, int burst) {

    public RateLimit {
        if (limit < 1) {
            throw new IllegalArgumentException("a rate limit must be at least 1 job per period, was " + limit);
        }
        if (per == null || per.toMillis() < 1) {
            throw new IllegalArgumentException("a rate limit's period must be at least 1ms, was " + per);
        }
        if (burst < 1 || burst > limit) {
            throw new IllegalArgumentException("a rate limit's burst must be 1 to its limit (" + limit + "), was " + burst);
        }
        if (per.toNanos() / 1000.0 / limit < 1.0) {
            throw new IllegalArgumentException("a rate limit of " + limit + " per " + per + " is finer than one job per microsecond");
        }
    }

    /** The spacing of tokens, in microseconds. */
    public double intervalMicros() {
        return per.toNanos() / 1000.0 / limit;
    }

    /** The interval as the scripts take it (a plain decimal, never an exponent). */
    String intervalArg() {
        return java.math.BigDecimal.valueOf(intervalMicros()).toPlainString();
    }
}
