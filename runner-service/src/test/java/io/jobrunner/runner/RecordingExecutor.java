package io.jobrunner.runner;

import io.jobrunner.runner.executor.ExecutionContext;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process executor for tests: runs a behaviour and records every run (job id, type, attempt, thread,
 * start and end in nanoseconds).
 */
final class RecordingExecutor implements JobExecutor {

    record Run(String id, String type, String domain, int attempt, String thread, long startNanos, long endNanos, ExecutionResult result) {
        long nanos() {
            return endNanos - startNanos;
        }
    }

    private final Function<ExecutionContext, ExecutionResult> behaviour;
    final ConcurrentLinkedQueue<Run> runs = new ConcurrentLinkedQueue<>();
    final Map<String, AtomicInteger> runsById = new ConcurrentHashMap<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();

    RecordingExecutor(Function<ExecutionContext, ExecutionResult> behaviour) {
        this.behaviour = behaviour;
    }

    static RecordingExecutor succeeding() {
        return new RecordingExecutor(ctx -> ExecutionResult.success());
    }

    /** Sleeps {@code millis} (stopping early when cancelled), then succeeds; a cancelled run asks for a retry. */
    static RecordingExecutor sleeping(long millis) {
        return new RecordingExecutor(ctx -> sleep(ctx, millis));
    }

    static ExecutionResult sleep(ExecutionContext ctx, long millis) {
        try {
            Thread.sleep(millis);
            return ExecutionResult.success();
        } catch (InterruptedException e) {
            return ExecutionResult.retry("interrupted");
        }
    }

    /** Busy-waits {@code nanos} (precise short jobs for the time-share tests). */
    static ExecutionResult spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return ExecutionResult.success();
    }

    @Override
    public ExecutionResult execute(ExecutionContext ctx) {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        runsById.computeIfAbsent(ctx.job().id(), k -> new AtomicInteger()).incrementAndGet();
        long start = System.nanoTime();
        ExecutionResult result = null;
        try {
            result = behaviour.apply(ctx);
            return result;
        } finally {
            running.decrementAndGet();
            runs.add(new Run(ctx.job().id(), ctx.job().type(), ctx.job().domain(), ctx.attempt(), Thread.currentThread().getName(),
                    start, System.nanoTime(), result));
        }
    }

    int count() {
        return runs.size();
    }

    List<Run> runsOf(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).toList();
    }
}
