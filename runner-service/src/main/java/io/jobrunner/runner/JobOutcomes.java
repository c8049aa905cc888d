package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.service.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Turns how a run ended into what happens to the job in Redis (DESIGN.md section 6), with its metrics:
 * <ol>
 *   <li>{@link ExecutionResult.Success}: ack (coalesced, {@link AckBatcher});</li>
 *   <li>{@link ExecutionResult.Retry}, a non-permanent {@link ExecutionResult.Failure}, or a timeout: release
 *       for retry after the Retry's {@code retryAfter}, else the type's backoff with jitter
 *       ({@code Limits.backoff(type).delay(attempt, random)}); when the attempt was the last
 *       ({@code attempt >= Limits.attempts(type)}), abandon instead, keeping the error;</li>
 *   <li>a permanent failure: abandon with its error; a run an operator cancelled that did not succeed: abandon,
 *       "cancelled by operator";</li>
 *   <li>a run cancelled by shutdown that did not succeed, and a buffered job never started: requeue (the attempt
 *       is not counted);</li>
 *   <li>a job that cannot be read or has no executor: abandon at once with the reason;</li>
 *   <li>a run whose claim was lost: nothing (another runner owns the job now).</li>
 * </ol>
 * Calls are asynchronous (the slot goes on) and tracked in {@link InFlight}; when one completes the claim
 * stops being heartbeated. A stale claim (released by someone else meanwhile) is logged, never an error.
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
    private final Clock clock;
    /** Runs that ended, per type, for the Redis history (flushed by {@link RunnerPresence}). */
    final ThroughputRecorder throughput = new ThroughputRecorder();

    JobOutcomes(JobConsumer consumer, Limits limits, RunnerMetrics metrics, RunCounters counters, AckBatcher acks,
                ClaimHeartbeat heartbeat, InFlight inFlight, Clock clock) {
        this.consumer = consumer;
        this.limits = limits;
        this.metrics = metrics;
        this.counters = counters;
        this.acks = acks;
        this.heartbeat = heartbeat;
        this.inFlight = inFlight;
        this.clock = clock;
    }

    /** The run ended with {@code result}. */
    void finished(JobRun run, ExecutionResult result) {
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
        if (cancel == JobRun.Cancel.CLAIM_LOST) {
            m.failed().mark();
            throughput.ended(type, true);
            heartbeat.drop(job.ref());
            run.log().warn("run ended after its claim was lost; leaving the job to its new owner: {}", result.message());
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
            Duration delay = retryAfter != null && !retryAfter.isNegative()
                    ? retryAfter
                    : limits.backoff().forType(type).delay(job.attempts(), ThreadLocalRandom.current().nextDouble());
            m.retried().mark();
            counters.retried.incrementAndGet();
            throughput.ended(type, true);
            run.log().info("attempt {}/{} failed, retrying in {} ms: {}", job.attempts(), maxAttempts, delay.toMillis(), message);
            long retryAt = clock.millis() + delay.toMillis();
            track(job, "retry", () -> consumer.retry(job.queue(), job.ref(), retryAt, message));
        }
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
        QueueName queue = job.queue();
        inFlight.begin();
        CompletableFuture<Boolean> call;
        try {
            call = send.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((released, error) -> {
            try {
                if (error != null) {
                    metrics.redisErrors.inc();
                    log.warn("queue {} job {}: {} failed; the claim will expire and the chron will recycle it: {}",
                            queue, job.id(), operation, ReadyQueues.rootMessage(error));
                } else if (!released) {
                    log.warn("queue {} job {}: {} found the claim already gone (recycled); nothing done", queue, job.id(), operation);
                }
            } finally {
                heartbeat.drop(job.ref());
                inFlight.end();
            }
        });
    }
}
