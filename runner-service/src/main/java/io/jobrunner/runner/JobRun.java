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
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One run of one claimed job: the {@link ExecutionContext} its executor gets.
 * <ol>
 *   <li>cancellation: {@link #cancel} (timeout, shutdown, claim lost, operator) marks it once, runs the
 *       {@link #onCancel} actions and interrupts the slot thread while the executor runs on it;</li>
 *   <li>{@link #heartbeat()}: extends the claim now (the heartbeat thread also does on its timer);</li>
 *   <li>{@link #log()}: a logger whose lines carry queue and job id;</li>
 *   <li>{@link #execute}: calls the executor on the slot thread, turning an exception it throws into a
 *       retryable failure, and clears an interrupt meant for the executor before the slot goes on;</li>
 *   <li>{@link #stuck}: true when the run was cancelled longer ago than its executor's stop grace and the
 *       executor has still not returned; {@link #takeOutcome} lets exactly one party, the slot or the group that
 *       gives up on a stuck slot, report the run's outcome.</li>
 * </ol>
 */
final class JobRun implements ExecutionContext {

    /**
     * Why a run was cancelled: its timeout, the runner's shutdown, its claim found lost (recycled), fenced (no
     * successful heartbeat for most of the claim TTL: the claim may expire and the job run elsewhere), or an operator.
     */
    enum Cancel { TIMEOUT, SHUTDOWN, CLAIM_LOST, FENCED, OPERATOR }

    private static final Logger log = LoggerFactory.getLogger(JobRun.class);

    private final ClaimedJob claimed;
    private final Duration timeout;
    private final String slot;
    private final Map<String, String> metadata;
    private final Runnable heartbeat;
    private final Consumer<JobRun> onStuck;
    private final Logger jobLog;
    private final long startedNanos = System.nanoTime();
    private final List<Runnable> onCancel = new ArrayList<>();
    private volatile Cancel cancelled;
    private volatile long cancelledAtNanos;
    private volatile long stopGraceNanos = Long.MAX_VALUE;
    private final AtomicBoolean outcomeTaken = new AtomicBoolean();
    private Thread executing;

    /**
     * @param metadata the metadata executors hand on (the job's, with the run's trace context)
     * @param onStuck  gives up on the slot running this run when it is {@link #stuck}
     */
    JobRun(ClaimedJob claimed, Duration timeout, String slot, Map<String, String> metadata, Runnable heartbeat,
           Consumer<JobRun> onStuck) {
        this.claimed = claimed;
        this.timeout = timeout;
        this.slot = slot;
        this.metadata = metadata;
        this.heartbeat = heartbeat;
        this.onStuck = onStuck;
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
    public Map<String, String> metadata() {
        return metadata;
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
            cancelledAtNanos = System.nanoTime();
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

    /**
     * True when the run was cancelled more than its executor's stop grace before {@code nowNanos} and the executor
     * is still running: its thread will not come back in time.
     */
    synchronized boolean stuck(long nowNanos) {
        return cancelled != null && executing != null && nowNanos - cancelledAtNanos - stopGraceNanos > 0;
    }

    /** When {@link #stuck} can next become true (for the timeout thread's wait), or Long.MAX_VALUE. */
    long stuckCheckNanos() {
        return cancelled == null ? Long.MAX_VALUE : cancelledAtNanos + Math.min(stopGraceNanos, Long.MAX_VALUE / 4);
    }

    /** Gives up on the slot this stuck run holds (called once, by the timeout thread). */
    void giveUp() {
        onStuck.accept(this);
    }

    /** True for the first caller only: that caller reports the run's outcome. */
    boolean takeOutcome() {
        return outcomeTaken.compareAndSet(false, true);
    }

    /** Runs the executor on this thread; an exception it throws becomes a retryable failure, an Error is rethrown. */
    ExecutionResult execute(JobExecutor executor) {
        synchronized (this) {
            executing = Thread.currentThread();
            stopGraceNanos = executor.stopGrace().toNanos();
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
