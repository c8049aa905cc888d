package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.RootCause;
import io.jobrunner.service.RedisErrorLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One worker thread of a group ({@code slot-<group>-<n>}): pick, claim, run, report, back off.
 * <ol>
 *   <li>asks its group for work ({@link GroupWork#pick}: the class below its time share first, a buffered job
 *       or a ready queue); with none, parks until a wake-up or the refresh interval (no busy polling);</li>
 *   <li>turns the pick into a job ({@link JobClaimer}) and runs it ({@link JobExecution}), which reports the
 *       outcome; the pick's reservation is given back when done;</li>
 *   <li>an iteration's failure is logged, counted and backed off (100 ms doubling to 5 s), never fatal; an
 *       {@link Error} from an executor ends the thread, and the group starts a new one;</li>
 *   <li>ends when the runner stops claiming or the group replaced this thread.</li>
 * </ol>
 * Delivery is at least once: a claimed job is acked only after it succeeded; until then its claim is
 * heartbeated, and if this process dies the chron gives the job back after the claim TTL.
 */
final class Slot {

    private static final Logger log = LoggerFactory.getLogger(Slot.class);
    private static final long MIN_ERROR_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SlotSeat seat;
    private final JobClaimer claimer;
    private final JobExecution execution;
    private final ReadyQueues ready;
    private final RunnerLifecycle lifecycle;
    private final RedisErrorLog redisLog;
    private final long refreshNanos;
    private long errorBackoffNanos;

    Slot(SlotSeat seat, JobClaimer claimer, JobExecution execution, ReadyQueues ready, RunnerLifecycle lifecycle,
         RedisErrorLog redisLog, Duration refreshInterval) {
        this.seat = seat;
        this.claimer = claimer;
        this.execution = execution;
        this.ready = ready;
        this.lifecycle = lifecycle;
        this.redisLog = redisLog;
        this.refreshNanos = refreshInterval.toNanos();
    }

    void run() {
        log.debug("{} started", seat.name());
        IdleSlots idle = seat.work().idle();
        while (!lifecycle.stopping() && seat.threads().owns(seat.index())) {
            long generation = idle.generation();
            try {
                step(generation);
                if (errorBackoffNanos != 0) {
                    redisLog.succeeded();
                }
                errorBackoffNanos = 0;
            } catch (RuntimeException e) {
                errorBackoffNanos = errorBackoffNanos == 0 ? MIN_ERROR_BACKOFF_NANOS : Math.min(MAX_ERROR_BACKOFF_NANOS, errorBackoffNanos * 2);
                if (RedisErrorLog.isRedisFailure(e)) {
                    redisLog.failed("{}: {} (retrying in {} ms)", seat.name(), RootCause.message(e), errorBackoffNanos / 1_000_000);
                } else {
                    log.warn("{}: {} (retrying in {} ms)", seat.name(), RootCause.message(e), errorBackoffNanos / 1_000_000);
                }
                idle.await(idle.generation(), errorBackoffNanos);
            }
        }
        log.debug("{} stopped", seat.name());
    }

    /** One pick-claim-run round. */
    private void step(long generation) {
        ready.refreshIfStale();
        GroupWork work = seat.work();
        QueuePicker.Pick pick = work.pick();
        if (pick == null) {
            // Until a wake-up, the refresh, or the next token of a rate-limited queue this runner skipped.
            work.idle().await(generation, Math.min(refreshNanos, claimer.nanosUntilNextToken()));
            return;
        }
        PickHold hold = work.hold(pick.queue());
        ClaimedJob job;
        try {
            job = claimer.take(pick, work.settings());
            if (job != null) {
                execution.run(job, pick.jobClass(), hold, seat);
            }
        } finally {
            hold.release();
        }
        if (job == null && claimer.budgetSpent()) {
            work.idle().await(generation, refreshNanos); // a bounded run claimed its last job
        }
    }
}
