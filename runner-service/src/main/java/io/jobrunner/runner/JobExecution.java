package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobTracing;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.Limits;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one claimed job on the calling slot's thread and reports its outcome; shared by all slots of the runner.
 * <ol>
 *   <li>a job it cannot read or has no executor for is abandoned with the reason; once a stop is past its grace,
 *       a job not yet started is given back instead;</li>
 *   <li>the executor runs with the type's timeout (the run is cancelled at the timeout), its claim heartbeated,
 *       its busy time counted in the group's time share, queue and job id in the MDC, and a trace span;</li>
 *   <li>the result goes to {@link JobOutcomes}: only then is a job acked, so delivery is at least once;</li>
 *   <li>an {@link Error} from the executor is rethrown after the outcome, ending the slot's thread (its group
 *       starts a new one);</li>
 *   <li>an executor that does not return within its stop grace after a cancellation: the group gives the job back
 *       and replaces the slot ({@link SlotThreads#giveUpStuck}); when the executor returns at last, nothing more
 *       is reported.</li>
 * </ol>
 */
final class JobExecution {

    private final ExecutorLookup executors;
    private final Limits limits;
    private final JobOutcomes outcomes;
    private final ClaimHeartbeat heartbeat;
    private final RunTimeouts timeouts;
    private final RunningJobs running;
    private final RunCounters counters;
    private final RunnerMetrics metrics;
    private final JobTracing tracing;
    private final Clock clock;
    private final RunnerLifecycle lifecycle;

    JobExecution(ExecutorLookup executors, Limits limits, JobOutcomes outcomes, ClaimHeartbeat heartbeat, RunTimeouts timeouts,
                 RunningJobs running, RunCounters counters, RunnerMetrics metrics, JobTracing tracing, Clock clock,
                 RunnerLifecycle lifecycle) {
        this.executors = executors;
        this.limits = limits;
        this.outcomes = outcomes;
        this.heartbeat = heartbeat;
        this.timeouts = timeouts;
        this.running = running;
        this.counters = counters;
        this.metrics = metrics;
        this.tracing = tracing;
        this.clock = clock;
        this.lifecycle = lifecycle;
    }

    /** Runs {@code job} (of class {@code jobClass}) on the slot at {@code seat}, which holds {@code hold} for it. */
    void run(ClaimedJob job, JobClass jobClass, PickHold hold, SlotSeat seat) {
        if (lifecycle.forced()) {
            outcomes.requeue(job, "runner stopping");
            return;
        }
        Optional<JobExecutor> executor = executorFor(job);
        if (executor.isEmpty()) {
            return;
        }
        QueueName queue = job.queue();
        String type = queue.type();
        Duration timeout = limits.timeout().forType(type);
        Thread thread = Thread.currentThread();
        JobTracing.RunTrace trace = tracing.startRun(job.job(), job.attempts());
        JobRun run = new JobRun(job, timeout, seat.name(), trace.metadata(), () -> heartbeat.extendNow(job.ref()),
                stuck -> {
                    seat.threads().giveUpStuck(seat.index(), thread, stuck);
                    hold.release(); // the stuck thread keeps no reservation
                });
        heartbeat.attach(job.ref(), run);
        running.add(run);
        counters.started.incrementAndGet();
        recordPickupDelay(job);
        MDC.put(JobLogger.MDC_QUEUE, queue.toString());
        MDC.put(JobLogger.MDC_JOB, job.id());
        Error fatal = null;
        ExecutionResult result;
        timeouts.watch(run, timeout);
        long start = System.nanoTime();
        seat.work().started(seat.index(), jobClass, start, (long) Math.max(0, metrics.meanRunNanos(type)));
        boolean mine = false;
        try {
            run.log().debug("started (attempt {}) on {}", job.attempts(), seat.name());
            result = run.execute(executor.get());
        } catch (Error e) {
            fatal = e;
            result = ExecutionResult.retry("executor failed with " + e);
        } finally {
            timeouts.unwatch(run);
            mine = run.takeOutcome(); // false: the group gave up on this slot while the executor ran
            if (mine) {
                long end = System.nanoTime();
                seat.work().finished(seat.index(), end);
                metrics.ranFor(type, end - start);
            }
        }
        traced(trace, result);
        trace.close();
        try {
            if (mine) {
                outcomes.finished(run, result);
            } else {
                run.log().warn("executor returned {} ms after the run was given up ({}); its outcome was already"
                        + " reported, {} ends", run.elapsedNanos() / 1_000_000, result.message(), Thread.currentThread().getName());
            }
        } finally {
            if (mine) {
                running.remove(run);
            }
            MDC.remove(JobLogger.MDC_QUEUE);
            MDC.remove(JobLogger.MDC_JOB);
        }
        if (fatal != null && mine) {
            throw fatal;
        }
    }

    /** The job's executor; empty (and the job abandoned, saying why) when the job is unreadable or has none. */
    private Optional<JobExecutor> executorFor(ClaimedJob job) {
        if (job.isMalformed()) {
            outcomes.abandon(job, "malformed job: " + job.malformedReason());
            return Optional.empty();
        }
        String type = job.queue().type();
        Optional<JobExecutor> executor;
        try {
            executor = executors.find(type);
        } catch (RuntimeException e) {
            outcomes.abandon(job, "executor lookup for job type '" + type + "' failed: " + e);
            return Optional.empty();
        }
        if (executor.isEmpty()) {
            outcomes.abandon(job, "no executor for job type '" + type + "': configure jobrunner.executors."
                    + type + " or jobrunner.executors.\"*\"");
        }
        return executor;
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
        long delay = clock.millis() - due;
        if (delay >= 0) {
            metrics.type(job.type()).pickupDelay().update(delay, TimeUnit.MILLISECONDS);
        }
    }
}
