package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionContext;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of one claimed job: the {@link ExecutionContext} its executor gets.
 * <ol>
 *   <li>cancellation: {@link #cancel} (timeout, shutdown, claim lost) marks it once, runs the
 *       {@link #onCancel} actions and interrupts the slot thread while the executor runs on it;</li>
 *   <li>{@link #heartbeat()}: extends the claim now (the heartbeat thread also does on its timer);</li>
 *   <li>{@link #log()}: a logger whose lines carry queue and job id;</li>
 *   <li>{@link #execute}: calls the executor on the slot thread, turning an exception it throws into a
 *       retryable failure, and clears an interrupt meant for the executor before the slot goes on.</li>
 * </ol>
 */
final class JobRun implements ExecutionContext {

    /** Why a run was cancelled. */
    enum Cancel { TIMEOUT, SHUTDOWN, CLAIM_LOST }

    private static final Logger log = LoggerFactory.getLogger(JobRun.class);

    private final ClaimedJob claimed;
    private final Duration timeout;
    private final String slot;
    private final Runnable heartbeat;
    private final Logger jobLog;
    private final long startedNanos = System.nanoTime();
    private final List<Runnable> onCancel = new ArrayList<>();
    private volatile Cancel cancelled;
    private Thread executing;

    JobRun(ClaimedJob claimed, Duration timeout, String slot, Runnable heartbeat) {
        this.claimed = claimed;
        this.timeout = timeout;
        this.slot = slot;
        this.heartbeat = heartbeat;
        this.jobLog = new JobLogger(LoggerFactory.getLogger("jobs." + claimed.queue().type()), claimed.queue().toString(), claimed.id());
    }

    @Override
    public Job job() {
        return claimed.job();
    }

    @Override
    public int attempt() {
        return claimed.attempts();
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean cancelled() {
        return cancelled != null;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (cancelled == null) {
                onCancel.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    @Override
    public void heartbeat() {
        heartbeat.run();
    }

    @Override
    public Logger log() {
        return jobLog;
    }

    ClaimedJob claimed() {
        return claimed;
    }

    QueueName queue() {
        return claimed.queue();
    }

    String slot() {
        return slot;
    }

    Cancel cancelReason() {
        return cancelled;
    }

    long elapsedNanos() {
        return System.nanoTime() - startedNanos;
    }

    /** Cancels the run (the first reason wins): runs the onCancel actions and interrupts the executor's thread. */
    void cancel(Cancel why) {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelled != null) {
                return;
            }
            cancelled = why;
            actions = new ArrayList<>(onCancel);
            onCancel.clear();
            if (executing != null) {
                executing.interrupt();
            }
        }
        jobLog.info("cancelling the run ({}) after {} ms", why, elapsedNanos() / 1_000_000);
        actions.forEach(this::runQuietly);
    }

    /** Runs the executor on this thread; an exception it throws becomes a retryable failure, an Error is rethrown. */
    ExecutionResult execute(JobExecutor executor) {
        synchronized (this) {
            executing = Thread.currentThread();
        }
        try {
            ExecutionResult result = executor.execute(this);
            return result != null ? result : ExecutionResult.retry("executor " + executor.getClass().getName() + " returned no result");
        } catch (RuntimeException e) {
            jobLog.warn("executor threw {}", e.toString(), e);
            return ExecutionResult.retry("executor threw " + e);
        } finally {
            synchronized (this) {
                executing = null;
            }
            Thread.interrupted(); // an interrupt was for the executor, not for the slot
        }
    }

    private void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("job {} of {}: a cancel action failed: {}", claimed.id(), claimed.queue(), e.toString(), e);
        }
    }
}
