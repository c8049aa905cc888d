package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RootCause;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.service.Backoff;
import io.jobrunner.service.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Turns how a run ended into what happens to the job in Redis, with its metrics:
 * <ol>
 *   <li>{@link ExecutionResult.Success}: ack (coalesced, {@link AckBatcher});</li>
 *   <li>{@link ExecutionResult.Retry}, a non-permanent {@link ExecutionResult.Failure}, or a timeout: release
 *       for retry after the Retry's {@code retryAfter} (at most the type's {@code retry-after-max}), else the type's backoff with jitter
 *       ({@code Limits.backoff(type).delay(attempt, random)}); when the attempt was the last
 *       ({@code attempt >= Limits.attempts(type)}), abandon instead, keeping the error;</li>
 *   <li>a permanent failure: abandon with its error; a run an operator cancelled that did not succeed: abandon,
 *       "cancelled by operator";</li>
 *   <li>a run cancelled by shutdown that did not succeed, and a buffered job never started: requeue (the attempt
 *       is not counted);</li>
 *   <li>a job that cannot be read or has no executor: abandon at once with the reason;</li>
 *   <li>a run whose claim was lost: nothing (another runner owns the job now).</li>
 * </ol>
 * Calls are asynchronous (the slot goes on) and tracked in {@link InFlight}; a failed call is tried again while the
 * claim is still ours ({@link OutcomeRetries}); when one completes (or is given up) the claim stops being heartbeated. A stale claim (released by someone else meanwhile) is logged, never an error.
 */
final class JobOutcomes {

    private static final Logger log = LoggerFactory.getLogger(JobOutcomes.class);

    private final JobConsumer consumer;
    private final Limits limits;
    private final RunnerMetrics metrics;
    private final RunCounters counters;
    private final AckBatcher acks;
    private final ClaimHeartbeat heartbeat;
    private final InFlight inFlight;
    private final OutcomeRetries retries;
    private final ThroughputRecorder throughput;

    /** @param throughput counts the runs that ended, per type, for the Redis history (flushed by {@link RunnerPresence}) */
    JobOutcomes(JobConsumer consumer, Limits limits, RunnerMetrics metrics, RunCounters counters, AckBatcher acks,
                ClaimHeartbeat heartbeat, InFlight inFlight, OutcomeRetries retries, ThroughputRecorder throughput) {
        this.consumer = consumer;
        this.limits = limits;
        this.metrics = metrics;
        this.counters = counters;
        this.acks = acks;
        this.heartbeat = heartbeat;
        this.inFlight = inFlight;
        this.retries = retries;
        this.throughput = throughput;
    }

    /**
     * The run ended with {@code result}. Total: whatever fails while the outcome is worked out, the claim is still
     * released (a retry after the type's backoff) or, when even that cannot be sent, no longer heartbeated, so the
     * chron recycles it; a claim is never left extended forever.
     */
    void finished(JobRun run, ExecutionResult result) {
        try {
            decide(run, result);
        } catch (RuntimeException e) {
            ClaimedJob job = run.claimed();
            log.error("queue {} job {}: working out the outcome failed; releasing it for a retry: {}", job.queue(), job.id(), e.toString(), e);
            try {
                Duration delay = limits.backoff().forType(job.queue().type()).initial();
                track(job, "retry", () -> consumer.retry(job.queue(), job.ref(), delay, "runner failed to record the outcome: " + e));
            } catch (RuntimeException again) {
                heartbeat.drop(job.ref()); // the claim expires and the chron recycles it
            }
        }
    }

    private void decide(JobRun run, ExecutionResult result) {
        ClaimedJob job = run.claimed();
        String type = job.queue().type();
        RunnerMetrics.TypeMetrics m = metrics.type(type);
        heartbeat.finishing(job.ref());
        JobRun.Cancel cancel = run.cancelReason();
        if (result instanceof ExecutionResult.Success) {
            m.succeeded().mark();
            counters.succeeded.incrementAndGet();
            throughput.ended(type, false);
            run.log().debug("succeeded in {} ms (attempt {})", run.elapsedNanos() / 1_000_000, job.attempts());
            acks.ack(job.queue(), job.ref());
            return;
        }
        if (cancel == JobRun.Cancel.OPERATOR) {
            m.failed().mark();
            abandon(job, "cancelled by operator");
            return;
        }
        if (cancel == JobRun.Cancel.CLAIM_LOST || cancel == JobRun.Cancel.FENCED) {
            m.failed().mark();
            throughput.ended(type, true);
            heartbeat.drop(job.ref());
            run.log().warn("run ended after its claim was {}; leaving the job to the chron and its next owner: {}",
                    cancel == JobRun.Cancel.FENCED ? "fenced (no heartbeat landed)" : "lost", result.message());
            return;
        }
        if (cancel == JobRun.Cancel.SHUTDOWN) {
            requeue(job, "cancelled by shutdown");
            return;
        }
        m.failed().mark();
        boolean permanent = result instanceof ExecutionResult.Failure f && f.permanent();
        Duration retryAfter = result instanceof ExecutionResult.Retry r ? r.retryAfter() : null;
        String message = cancel == JobRun.Cancel.TIMEOUT
                ? "timed out after " + run.timeout().toMillis() + " ms" + (result.message().isEmpty() ? "" : ": " + result.message())
                : result.message();
        if (cancel == JobRun.Cancel.TIMEOUT) {
            permanent = false;
            retryAfter = null;
        }
        int maxAttempts = limits.attempts().forType(type);
        if (permanent) {
            abandon(job, "permanent failure: " + message);
        } else if (job.attempts() >= maxAttempts) {
            abandon(job, "out of attempts (" + job.attempts() + "/" + maxAttempts + "): " + message);
        } else {
            Backoff backoff = limits.backoff().forType(type);
            Duration delay = retryAfter != null && !retryAfter.isNegative()
                    ? cappedRetryAfter(retryAfter, limits.retryAfterMax().forType(type))
                    : backoff.delay(job.attempts(), ThreadLocalRandom.current().nextDouble());
            m.retried().mark();
            counters.retried.incrementAndGet();
            throughput.ended(type, true);
            run.log().info("attempt {}/{} failed, retrying in {} ms: {}", job.attempts(), maxAttempts, delay.toMillis(), message);
            track(job, "retry", () -> consumer.retry(job.queue(), job.ref(), delay, message));
        }
    }

    /**
     * A delay the job asked for (HTTP {@code Retry-After}, {@code RetryableJobException}) is capped at the type's
     * {@code limits.retry-after-max}: a service cannot park a job for decades, nor overflow the release time.
     */
    static Duration cappedRetryAfter(Duration asked, Duration max) {
        return asked.compareTo(max) > 0 ? max : asked;
    }

    /** A job that cannot run here (unreadable, no executor): abandoned at once with {@code reason}. */
    void abandon(ClaimedJob job, String reason) {
        metrics.type(job.queue().type()).abandoned().mark();
        counters.abandoned.incrementAndGet();
        throughput.ended(job.queue().type(), true);
        heartbeat.finishing(job.ref());
        log.warn("queue {} job {}: abandoned (attempt {}): {}", job.queue(), job.id(), job.attempts(), reason);
        track(job, "abandon", () -> consumer.abandon(job.queue(), job.ref(), reason));
    }

    /** Gives the job back untouched: the claim end of ready, the attempt not counted. */
    void requeue(ClaimedJob job, String why) {
        metrics.type(job.queue().type()).requeued().mark();
        counters.requeued.incrementAndGet();
        heartbeat.finishing(job.ref());
        log.info("queue {} job {}: given back ({})", job.queue(), job.id(), why);
        track(job, "requeue", () -> consumer.requeue(job.queue(), job.ref()));
    }

    private void track(ClaimedJob job, String operation, Supplier<CompletableFuture<Boolean>> send) {
        inFlight.begin();
        attempt(job, operation, send, 1);
    }

    /** One try of the call; a failure is tried again while the claim is still ours ({@link OutcomeRetries}). */
    private void attempt(ClaimedJob job, String operation, Supplier<CompletableFuture<Boolean>> send, int attempt) {
        QueueName queue = job.queue();
        CompletableFuture<Boolean> call;
        try {
            call = send.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((released, error) -> {
            if (error != null) {
                metrics.redisErrors.mark();
                if (retries.worthRetrying(job.ref(), attempt)
                        && retries.schedule(attempt, () -> attempt(job, operation, send, attempt + 1))) {
                    metrics.outcomeRetries.mark();
                    if (attempt == 1) {
                        log.warn("queue {} job {}: {} failed, trying again while the claim is ours: {}", queue, job.id(),
                                operation, RootCause.message(error));
                    }
                    return;
                }
            }
            try {
                if (error != null) {
                    log.warn("queue {} job {}: {} failed {} time(s), giving up at the claim's deadline; the chron recycles it"
                            + " and the job runs again: {}", queue, job.id(), operation, attempt, RootCause.message(error));
                } else if (!released) {
                    log.warn("queue {} job {}: {} found the claim already gone{}; nothing done", queue, job.id(), operation,
                            attempt > 1 ? " (or an earlier try landed)" : " (recycled)");
                } else if (attempt > 1) {
                    log.info("queue {} job {}: {} landed on try {}", queue, job.id(), operation, attempt);
                }
            } finally {
                heartbeat.drop(job.ref());
                inFlight.end();
            }
        });
    }
}
