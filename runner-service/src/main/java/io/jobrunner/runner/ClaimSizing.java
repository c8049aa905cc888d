package io.jobrunner.runner;

import io.jobrunner.client.QueueName;

/**
 * How many jobs one claim asks for: one, plus as many as the group's share of slots for the job's class is
 * expected to start within half the buffer time given the type's mean run time; at most {@code claim-batch} and
 * the concurrency cap's headroom. One while stopping, or before the type's run time is known.
 */
final class ClaimSizing {

    private final RunnerSettings settings;
    private final RunnerMetrics metrics;
    private final ConcurrencyLimiter limiter;
    private final RunnerLifecycle lifecycle;

    ClaimSizing(RunnerSettings settings, RunnerMetrics metrics, ConcurrencyLimiter limiter, RunnerLifecycle lifecycle) {
        this.settings = settings;
        this.metrics = metrics;
        this.limiter = limiter;
        this.lifecycle = lifecycle;
    }

    int size(QueueName queue, JobClass c, GroupSettings group) {
        long bufferNanos = settings.bufferTime().toNanos();
        double mean = metrics.meanRunNanos(queue.type());
        if (settings.claimBatch() == 1 || bufferNanos == 0 || mean < 0 || lifecycle.stopping()) {
            return 1;
        }
        double share = group.lowPriority().isEmpty() ? 1.0 : c == JobClass.HIGH ? group.highShare() : 1.0 - group.highShare();
        double slots = Math.max(1.0, group.slots() * share);
        double extra = slots * (bufferNanos / 2.0) / Math.max(mean, 1_000.0);
        long headroom = limiter.headroom(queue);
        return (int) Math.max(1, Math.min(Math.min(settings.claimBatch(), 1 + extra), headroom + 1L));
    }
}
