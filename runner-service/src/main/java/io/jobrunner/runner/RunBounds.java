package io.jobrunner.runner;

import java.time.Duration;

/**
 * Limits of a bounded run ({@link Runner#runBounded}), e.g. the CLI's {@code run} command; any of them ends it.
 *
 * @param maxJobs        most jobs to claim (0 = no limit); the runner claims no more than this
 * @param maxTime        longest the run may take before it stops (null = no limit)
 * @param stopWhenEmpty  stop once nothing runs and no queue the groups serve has ready jobs (delayed jobs and
 *                       retries waiting for their backoff do not count)
 */
public record RunBounds(long maxJobs, Duration maxTime, boolean stopWhenEmpty) {

    public RunBounds {
        if (maxJobs < 0) {
            throw new IllegalArgumentException("maxJobs must be 0 (no limit) or positive, was " + maxJobs);
        }
        if (maxTime != null && (maxTime.isNegative() || maxTime.isZero())) {
            throw new IllegalArgumentException("maxTime must be positive, was " + maxTime);
        }
        if (maxJobs == 0 && maxTime == null && !stopWhenEmpty) {
            throw new IllegalArgumentException("a bounded run needs maxJobs, maxTime or stopWhenEmpty");
        }
    }

    /** Runs until the served queues are empty. */
    public static RunBounds untilEmpty() {
        return new RunBounds(0, null, true);
    }
}
