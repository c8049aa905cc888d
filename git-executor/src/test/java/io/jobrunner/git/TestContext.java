package io.jobrunner.git;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.Job;
import io.jobrunner.runner.executor.ExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ExecutionContext} for executor tests: a job with the given params, a timeout, and cancellation
 * that the test triggers, either at once ({@link #cancel()}) or after the run has polled
 * {@link #cancelled()} a number of times ({@link #cancelAfterPolls}), i.e. in the middle of a transfer.
 */
final class TestContext implements ExecutionContext {

    static final Logger LOG = LoggerFactory.getLogger("io.jobrunner.git.test-job");

    private final Job job;
    private final Duration timeout;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicInteger polls = new AtomicInteger();
    private final List<Runnable> onCancel = new ArrayList<>();
    private volatile int cancelAfter = Integer.MAX_VALUE;

    TestContext(Job job, Duration timeout) {
        this.job = job;
        this.timeout = timeout;
    }

    static TestContext of(String type, String... keyValues) {
        return new TestContext(Job.of(type, params(keyValues)), Duration.ofMinutes(1));
    }

    static TestContext withTimeout(Duration timeout, String type, String... keyValues) {
        return new TestContext(Job.of(type, params(keyValues)), timeout);
    }

    static ObjectNode params(String... keyValues) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    /** Cancels once {@link #cancelled()} has been asked {@code polls} more times. */
    TestContext cancelAfterPolls(int count) {
        cancelAfter = polls.get() + count;
        return this;
    }

    void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            List<Runnable> actions;
            synchronized (onCancel) {
                actions = List.copyOf(onCancel);
            }
            actions.forEach(Runnable::run);
        }
    }

    /** How many times the run asked whether it was cancelled. */
    int polls() {
        return polls.get();
    }

    @Override
    public Job job() {
        return job;
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean cancelled() {
        if (polls.incrementAndGet() >= cancelAfter) {
            cancel();
        }
        return cancelled.get();
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (onCancel) {
            onCancel.add(action);
        }
        if (cancelled.get()) {
            action.run();
        }
    }

    @Override
    public void heartbeat() {
    }

    @Override
    public org.slf4j.Logger log() {
        return LOG;
    }
}
