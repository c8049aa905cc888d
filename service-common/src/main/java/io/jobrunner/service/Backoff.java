package io.jobrunner.service;

import java.time.Duration;

/**
 * Retry delay: {@code initial * 2^(attempt-1)}, capped at {@code max}, then "equal jitter" (a random point in
 * the upper half), so retries of many jobs that failed together spread out instead of returning together.
 */
public record Backoff(Duration initial, Duration max) {

    /**
     * @param attempt the attempt that just failed (1 for the first run)
     * @param random  a uniform random number in [0, 1)
     */
    public Duration delay(int attempt, double random) {
        long initialMs = initial.toMillis();
        long capMs = max.toMillis();
        int doublings = Math.max(0, attempt - 1);
        long exp = doublings < 62 && initialMs <= (capMs >> doublings) ? initialMs << doublings : capMs;
        long half = exp / 2;
        return Duration.ofMillis(half + (long) (random * (exp - half)));
    }
}
