package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;

/**
 * What users implement to run jobs inside the runner: the {@code java} executor kind
 * ({@code executors.<type> { kind = java, class = "com.example.MyHandler" }}).
 *
 * <p>The class must be public with a public no-argument constructor. The runner makes <b>one instance per
 * configured job type</b> when it starts and calls it from every slot at once, so {@link #handle} must be
 * thread-safe. If the class also implements {@link AutoCloseable}, the runner closes it when it stops.
 *
 * <p>Outcomes: returning normally acks the job; {@link RetryableJobException} retries it (after its
 * {@code retryAfter} if given, else the configured backoff); {@link PermanentJobException} abandons it at
 * once; any other exception (or error) is a failure that is retried until the job runs out of attempts.
 *
 * <p>Delivery is at least once: a job may run again after a crash or a timeout, so make handlers idempotent.
 *
 * <p>The handler runs on the slot's own thread (the runner hands no job to another thread), with the handler's
 * class loader as the thread's context class loader.
 *
 * <p>Cancellation (timeout, shutdown, claim lost): the handler's thread is interrupted and the
 * {@link JobContext#onCancel} hooks run. A handler must then stop promptly (blocking calls throw
 * {@link InterruptedException}; loops should check {@link JobContext#cancelled()}). Whatever it does after
 * that, the run counts as a retryable "timed out" failure. A handler that does not return within the
 * executor's {@code stop-grace} is left running on its (daemon) thread, with a warning in the log: the runner
 * gives the job back for another attempt and replaces the slot with a new thread, so the group keeps its
 * capacity. Such a handler can then run twice at once; its late outcome is ignored.
 */
@FunctionalInterface
public interface JobHandler {

    /**
     * Runs one job.
     *
     * @param job     the job (id, type, domain, params, ...)
     * @param context the attempt, cancellation, heartbeat and a logger for this run
     * @throws Exception to fail the run; see the class comment for how each exception is treated
     */
    void handle(Job job, JobContext context) throws Exception;
}
