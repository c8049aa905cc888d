package io.jobrunner.runner;

import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobTracing;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.RedisErrorLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One worker thread of a group ({@code slot-<group>-<n>}): the claim, execute, outcome loop.
 * <ol>
 *   <li>asks its group for work ({@link SlotGroup#pick}: the class below its time share first, a buffered job
 *       or a ready queue); with none, parks until a wake-up or the refresh interval (no busy polling);</li>
 *   <li>claims a batch sized so the extra jobs start within the buffer time; heartbeats every claim; buffers the
 *       extras and wakes another slot; a queue found empty leaves the registry (compare-and-delete on its stamp);</li>
 *   <li>abandons a job it cannot read or has no executor for, with the reason, and goes on;</li>
 *   <li>runs the job through its executor with the type's timeout (the run is cancelled at the timeout), counting
 *       its busy time in the group's time share, with queue and job id in the MDC;</li>
 *   <li>hands the result to {@link JobOutcomes}; an iteration's failure is logged, counted and backed off, never
 *       fatal; an {@link Error} from an executor ends the thread after the job's outcome, and the group starts a
 *       new one;</li>
 *   <li>an executor that does not return within its stop grace after a cancellation: the group gives the job back
 *       and replaces this slot ({@link SlotGroup#giveUpStuck}); when the executor returns at last, this thread
 *       reports nothing and ends.</li>
 * </ol>
 * Delivery is at least once: a claimed job is acked only after it succeeded; until then its claim is
 * heartbeated, and if this process dies the chron gives the job back after the claim TTL.
 */
final class Slot {

    private static final Logger log = LoggerFactory.getLogger(Slot.class);
    private static final long MAX_ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SlotGroup group;
    private final int index;
    private final RunnerParts parts;
    private final String name;
    private long errorBackoffNanos;

    Slot(SlotGroup group, int index, RunnerParts parts) {
        this.group = group;
        this.index = index;
        this.parts = parts;
        this.name = group.slotName(index);
    }

    void run() {
        log.debug("{} started", name);
        while (!parts.stopping() && group.owns(index)) {
            long generation = group.idle().generation();
            try {
                step(generation);
                if (errorBackoffNanos != 0) {
                    parts.metrics.redisLog.succeeded();
                }
                errorBackoffNanos = 0;
            } catch (RuntimeException e) {
                errorBackoffNanos = errorBackoffNanos == 0 ? TimeUnit.MILLISECONDS.toNanos(100)
                        : Math.min(MAX_ERROR_BACKOFF_NANOS, errorBackoffNanos * 2);
                if (RedisErrorLog.isRedisFailure(e)) {
                    parts.metrics.redisLog.failed("{}: {} (retrying in {} ms)", name, ReadyQueues.rootMessage(e), errorBackoffNanos / 1_000_000);
                } else {
                    log.warn("{}: {} (retrying in {} ms)", name, ReadyQueues.rootMessage(e), errorBackoffNanos / 1_000_000);
                }
                group.idle().await(group.idle().generation(), errorBackoffNanos);
            }
        }
        log.debug("{} stopped", name);
    }

    /** One pick-claim-run round. */
    private void step(long generation) {
        parts.ready.refreshIfStale();
        QueuePicker.Pick pick = group.pick();
        if (pick == null) {
            group.idle().await(generation, parts.settings.refreshInterval().toNanos());
            return;
        }
        PickHold hold = new PickHold(pick.queue(), parts.limiter, group.active);
        ClaimedJob job;
        try {
            job = pick.buffered() != null ? checkBuffered(pick.buffered()) : claim(pick);
            if (job != null && parts.forced()) {
                parts.outcomes.requeue(job, "runner stopping");
            } else if (job != null) {
                runJob(job, pick.jobClass(), hold);
            }
        } finally {
            hold.release();
        }
        if (job == null && parts.budget.exhausted()) {
            group.idle().await(generation, parts.settings.refreshInterval().toNanos()); // a bounded run claimed its last job
        }
    }

    private ClaimedJob checkBuffered(ClaimedJob job) {
        if (!parts.heartbeat.isHeld(job.ref())) {
            return null; // its claim was lost while it waited
        }
        if (parts.buffer.has(job.queue())) {
            parts.wakeServing(job.queue().type());
        }
        markStarted(job);
        return job;
    }

    private ClaimedJob claim(QueuePicker.Pick pick) {
        QueueName queue = pick.queue();
        Duration ttl = parts.limits.claimTtl().forType(queue.type());
        boolean capped = parts.clusterCaps.applies(queue);
        int wanted = parts.budget.take(capped ? 1 : claimSize(queue, pick.jobClass())); // a permit covers one job
        if (wanted == 0) {
            parts.ready.endClaim(queue, pick.stamp(), 0);
            return null;
        }
        ClusterCaps.Permit permit = capped ? parts.clusterCaps.acquire(queue, ttl) : null;
        if (capped && permit == null) {
            parts.ready.endClaim(queue, pick.stamp(), 0); // the cap is full cluster-wide: pickers skip it for now
            parts.budget.giveBack(wanted);
            return null;
        }
        ClaimBatch batch;
        long claimSentNanos;
        try {
            String stamp = pick.stamp();
            claimSentNanos = System.nanoTime();
            // The job run at once is marked started; the buffered ones are marked when a slot takes them.
            batch = parts.consumer.claim(queue, wanted, ttl, parts.limits.attempts().forType(queue.type()), 1,
                    parts.limits.expireAfter().forType(queue.type())).thenApply(b -> {
                if (b.remaining() == 0 && stamp != null && !ReadyQueues.isHint(stamp)) {
                    // Only under a stamp read from jr:ready, never a wake-up hint's (see WakeUp). Issued on the
                    // connection's thread: no hand-off on the way to the run.
                    removeFromRegistry(queue, stamp);
                }
                return b;
            }).join();
        } catch (RuntimeException e) {
            parts.ready.endClaim(queue, pick.stamp(), 0);
            parts.budget.giveBack(wanted);
            if (permit != null) {
                parts.clusterCaps.release(permit);
            }
            throw e;
        }
        if (permit != null && batch.jobs().isEmpty()) {
            parts.clusterCaps.release(permit);
        }
        List<ClaimedJob> jobs = batch.jobs();
        parts.budget.giveBack(wanted - jobs.size());
        RunnerMetrics.TypeMetrics m = parts.metrics.type(queue.type());
        if (!jobs.isEmpty()) {
            m.claimed().mark(jobs.size());
        }
        if (batch.superseded() > 0) {
            m.superseded().mark(batch.superseded());
        }
        if (batch.expired() > 0) {
            m.expired().mark(batch.expired());
        }
        for (ClaimedJob job : jobs) {
            parts.heartbeat.hold(job, ttl, claimSentNanos, permit);
        }
        if (batch.remaining() == 0 && pick.stamp() != null) {
            parts.ready.forget(queue, pick.stamp()); // under a hint's stamp too: a refresh brings back the registry's
        }
        parts.ready.endClaim(queue, pick.stamp(), batch.remaining()); // before waking others: they may claim now
        if (jobs.isEmpty()) {
            return null;
        }
        if (jobs.size() > 1) {
            parts.buffer.add(jobs.subList(1, jobs.size()), System.nanoTime());
            parts.heartbeat.buffered();
        }
        if (jobs.size() > 1 || batch.remaining() > 0) {
            parts.wakeServing(queue.type());
        }
        return jobs.get(0);
    }

    /**
     * Marks a buffered claim started before it runs (not awaited: pipelined ahead of anything the run sends). A
     * claim that expires unmarked gets its attempt back, so a failed mark costs at most one extra attempt.
     */
    private void markStarted(ClaimedJob job) {
        parts.consumer.markStarted(job.queue(), job.ref()).whenComplete((held, e) -> {
            if (e != null) {
                parts.metrics.redisErrors.mark();
                log.warn("queue {} job {}: could not mark it started: {}", job.queue(), job.id(), ReadyQueues.rootMessage(e));
            }
        });
    }

    /** The queue had no ready job left under {@code stamp}: out of the registry, unless a push came since. */
    private void removeFromRegistry(QueueName queue, String stamp) {
        parts.registry.removeIfUnchanged(queue, stamp).whenComplete((removed, e) -> {
            if (e != null) {
                parts.metrics.redisLog.failed("queue {}: could not remove it from the ready registry (the chron repairs it): {}", queue,
                        ReadyQueues.rootMessage(e));
            }
        });
    }

    /**
     * How many jobs to claim: one, plus as many as the group's share of slots for this class is expected to start
     * within half the buffer time given the type's mean run time; at most claim-batch and the cap's headroom.
     */
    private int claimSize(QueueName queue, JobClass c) {
        RunnerSettings s = parts.settings;
        long bufferNanos = s.bufferTime().toNanos();
        double mean = parts.metrics.meanRunNanos(queue.type());
        if (s.claimBatch() == 1 || bufferNanos == 0 || mean < 0 || parts.stopping()) {
            return 1;
        }
        GroupSettings g = group.settings();
        double share = g.lowPriority().isEmpty() ? 1.0 : c == JobClass.HIGH ? g.highShare() : 1.0 - g.highShare();
        double slots = Math.max(1.0, g.slots() * share);
        double extra = slots * (bufferNanos / 2.0) / Math.max(mean, 1_000.0);
        long headroom = parts.limiter.headroom(queue);
        return (int) Math.max(1, Math.min(Math.min(s.claimBatch(), 1 + extra), headroom + 1L));
    }

    private void runJob(ClaimedJob job, JobClass jobClass, PickHold hold) {
        QueueName queue = job.queue();
        if (job.isMalformed()) {
            parts.outcomes.abandon(job, "malformed job: " + job.malformedReason());
            return;
        }
        String type = queue.type();
        Optional<JobExecutor> executor;
        try {
            executor = parts.executors.find(type);
        } catch (RuntimeException e) {
            parts.outcomes.abandon(job, "executor lookup for job type '" + type + "' failed: " + e);
            return;
        }
        if (executor.isEmpty()) {
            parts.outcomes.abandon(job, "no executor for job type '" + type + "': configure jobrunner.executors."
                    + type + " or jobrunner.executors.\"*\"");
            return;
        }
        Duration timeout = parts.limits.timeout().forType(type);
        Thread thread = Thread.currentThread();
        JobTracing.RunTrace trace = parts.tracing.startRun(job.job(), job.attempts());
        JobRun run = new JobRun(job, timeout, name, trace.metadata(), () -> parts.heartbeat.extendNow(job.ref()),
                stuck -> {
                    group.giveUpStuck(index, thread, stuck);
                    hold.release(); // the stuck thread keeps no reservation
                });
        parts.heartbeat.attach(job.ref(), run);
        parts.running.add(run);
        parts.counters.started.incrementAndGet();
        recordPickupDelay(job);
        MDC.put(JobLogger.MDC_QUEUE, queue.toString());
        MDC.put(JobLogger.MDC_JOB, job.id());
        Error fatal = null;
        ExecutionResult result;
        parts.timeouts.watch(run, timeout);
        long start = System.nanoTime();
        group.started(index, jobClass, start, (long) Math.max(0, parts.metrics.meanRunNanos(type)));
        boolean mine = false;
        try {
            run.log().debug("started (attempt {}) on {}", job.attempts(), name);
            result = run.execute(executor.get());
        } catch (Error e) {
            fatal = e;
            result = ExecutionResult.retry("executor failed with " + e);
        } finally {
            parts.timeouts.unwatch(run);
            mine = run.takeOutcome(); // false: the group gave up on this slot while the executor ran
            if (mine) {
                long end = System.nanoTime();
                group.finished(index, end);
                parts.metrics.ranFor(type, end - start);
            }
        }
        traced(trace, result);
        trace.close();
        try {
            if (mine) {
                parts.outcomes.finished(run, result);
            } else {
                run.log().warn("executor returned {} ms after the run was given up ({}); its outcome was already"
                        + " reported, {} ends", run.elapsedNanos() / 1_000_000, result.message(), Thread.currentThread().getName());
            }
        } finally {
            if (mine) {
                parts.running.remove(run);
            }
            MDC.remove(JobLogger.MDC_QUEUE);
            MDC.remove(JobLogger.MDC_JOB);
        }
        if (fatal != null && mine) {
            throw fatal;
        }
    }

    private static void traced(JobTracing.RunTrace trace, ExecutionResult result) {
        if (result instanceof ExecutionResult.Success) {
            trace.finished("success", null);
        } else if (result instanceof ExecutionResult.Failure f) {
            trace.finished(f.permanent() ? "permanent-failure" : "failure", f.message());
        } else {
            trace.finished("retry", result.message());
        }
    }

    private void recordPickupDelay(ClaimedJob claimed) {
        if (claimed.attempts() != 1) {
            return; // a retry's wait is its backoff, not pickup delay
        }
        Job job = claimed.job();
        long due = Math.max(job.enqueuedAt(), job.releaseAt() == null ? 0 : job.releaseAt());
        long delay = parts.clock.millis() - due;
        if (delay >= 0) {
            parts.metrics.type(job.type()).pickupDelay().update(delay, TimeUnit.MILLISECONDS);
        }
    }
}
