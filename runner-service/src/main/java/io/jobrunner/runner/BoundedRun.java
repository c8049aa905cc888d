package io.jobrunner.runner;

import io.jobrunner.client.QueueName;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches a bounded run ({@link Runner#runBounded}) until one of its {@link RunBounds} is reached: the claim
 * budget spent and everything claimed finished, the time limit, or (when asked) no job running or buffered and
 * no served queue left in the ready registry. Checks memory every 50 ms; reads the registry only while the
 * runner is quiet.
 */
final class BoundedRun {

    private static final long POLL_MILLIS = 50;

    private final RunBounds bounds;
    private final ClaimBudget budget;
    private final RunningJobs running;
    private final ClaimBuffer buffer;
    private final InFlight inFlight;
    private final ReadyQueues ready;
    private final Duration refreshInterval;
    private final List<GroupWork> groups;

    BoundedRun(RunBounds bounds, ClaimBudget budget, RunningJobs running, ClaimBuffer buffer, InFlight inFlight, ReadyQueues ready,
               Duration refreshInterval, List<GroupWork> groups) {
        this.bounds = bounds;
        this.budget = budget;
        this.running = running;
        this.buffer = buffer;
        this.inFlight = inFlight;
        this.ready = ready;
        this.refreshInterval = refreshInterval;
        this.groups = groups;
    }

    RunSummary.Reason await(long startNanos) {
        long deadline = bounds.maxTime() == null ? Long.MAX_VALUE : startNanos + bounds.maxTime().toNanos();
        while (true) {
            if (bounds.maxJobs() > 0 && budget.exhausted() && quiet()) {
                return RunSummary.Reason.MAX_JOBS;
            }
            if (bounds.maxTime() != null && System.nanoTime() - deadline >= 0) {
                return RunSummary.Reason.MAX_TIME;
            }
            if (bounds.stopWhenEmpty() && quiet() && nothingReady()) {
                return RunSummary.Reason.EMPTY;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RunSummary.Reason.MAX_TIME;
            }
        }
    }

    /** Nothing running, claiming, buffered or being acked/released. */
    private boolean quiet() {
        if (running.size() > 0 || buffer.size() > 0 || inFlight.count() > 0) {
            return false;
        }
        for (GroupWork g : groups) {
            if (g.active() > 0) {
                return false;
            }
        }
        return true;
    }

    /** A fresh read of the registry shows no queue any group serves (and the runner stayed quiet meanwhile). */
    private boolean nothingReady() {
        try {
            ready.refresh().get(refreshInterval.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
        for (QueueName q : ready.queues()) {
            for (GroupWork g : groups) {
                if (g.serves(q.type())) {
                    return false;
                }
            }
        }
        return quiet();
    }
}
