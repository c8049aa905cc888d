package io.jobrunner.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * How a running runner stops: no more claims, buffered jobs given back, running jobs get the grace to finish;
 * then they are cancelled, and after {@link #CANCEL_WAIT} the claims of those whose executor still did not
 * return are given back anyway ({@code requeue}, attempt not counted); last, the outcomes still on their way to
 * Redis are awaited.
 */
final class GracefulStop {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    /** How long a stop waits for cancelled runs to return before giving their claims back anyway. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

    private final String runnerId;
    private final RunnerLifecycle lifecycle;
    private final SlotWakeups wakeups;
    private final List<SlotGroup> groups;
    private final RunningJobs running;
    private final ClaimBuffer buffer;
    private final JobOutcomes outcomes;
    private final InFlight inFlight;
    private final Duration commandTimeout;

    GracefulStop(String runnerId, RunnerLifecycle lifecycle, SlotWakeups wakeups, List<SlotGroup> groups, RunningJobs running,
                 ClaimBuffer buffer, JobOutcomes outcomes, InFlight inFlight, Duration commandTimeout) {
        this.runnerId = runnerId;
        this.lifecycle = lifecycle;
        this.wakeups = wakeups;
        this.groups = groups;
        this.running = running;
        this.buffer = buffer;
        this.outcomes = outcomes;
        this.inFlight = inFlight;
        this.commandTimeout = commandTimeout;
    }

    /** Stops the slots; true when every running job finished within {@code grace}. */
    boolean stop(Duration grace) {
        log.info("runner {} stopping: {} job(s) running, waiting up to {} ms for them", runnerId, running.size(), grace.toMillis());
        lifecycle.stopClaiming();
        wakeups.wakeAll();
        giveBackBuffered();
        boolean clean = true;
        try {
            clean = awaitSlots(System.nanoTime() + grace.toNanos());
            if (!clean) {
                lifecycle.force();
                log.warn("runner {}: grace of {} ms over, cancelling {} running job(s) and giving them back", runnerId,
                        grace.toMillis(), running.size());
                running.cancelAll(JobRun.Cancel.SHUTDOWN);
                if (!awaitSlots(System.nanoTime() + CANCEL_WAIT.toNanos())) {
                    giveBackUnreturned();
                }
            }
            giveBackBuffered();
            inFlight.awaitNone(commandTimeout.plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        return clean;
    }

    private void giveBackUnreturned() {
        for (JobRun run : running.snapshot()) {
            if (!run.takeOutcome()) {
                continue; // its slot or the timeout thread reports it
            }
            run.log().warn("executor did not stop within {} ms of cancellation; giving the job back anyway", CANCEL_WAIT.toMillis());
            outcomes.requeue(run.claimed(), "executor did not stop at shutdown");
            running.remove(run);
        }
    }

    private void giveBackBuffered() {
        buffer.drain().forEach(j -> outcomes.requeue(j, "runner stopping"));
    }

    private boolean awaitSlots(long deadlineNanos) throws InterruptedException {
        boolean all = true;
        for (SlotGroup g : groups) {
            all &= g.awaitSlots(deadlineNanos);
        }
        return all;
    }
}
