package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain {@link ExecutionContext} for tests: a fixed job, attempt and timeout; {@link #cancel()} cancels
 * the run as the runner would on timeout or shutdown (hooks run once, on the calling thread); heartbeats
 * are counted.
 */
public final class TestExecutionContext implements ExecutionContext {

    private static final Logger LOG = LoggerFactory.getLogger("test-run");

    private final Job job;
    private final int attempt;
    private final Duration timeout;
    private final List<Runnable> hooks = new ArrayList<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private boolean cancelled;

    public TestExecutionContext(Job job, int attempt, Duration timeout) {
        this.job = job;
        this.attempt = attempt;
        this.timeout = timeout;
    }

    /** A first attempt with a one-minute timeout. */
    public TestExecutionContext(Job job) {
        this(job, 1, Duration.ofMinutes(1));
    }

    @Override
    public Job job() {
        return job;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public synchronized boolean cancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                hooks.add(action);
                return;
            }
        }
        action.run();
    }

    /** Cancels the run: runs every registered hook once. */
    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(hooks);
            hooks.clear();
        }
        toRun.forEach(Runnable::run);
    }

    @Override
    public void heartbeat() {
        heartbeats.incrementAndGet();
    }

    public int heartbeats() {
        return heartbeats.get();
    }

    @Override
    public Logger log() {
        return LOG;
    }
}
