package io.jobrunner.runner.executor;

import java.time.Duration;

/**
 * Runs one job of the types it is configured for. Implementations are thread-safe:
 * one instance serves every slot. {@link #execute} blocks until the job ends, honouring
 * {@link ExecutionContext#cancelled()} (timeout or shutdown) by stopping what it started (a process tree,
 * an HTTP request, a thread).
 */
public interface JobExecutor extends AutoCloseable {

    /** Runs the job; never throws for a job's own failure, which is a {@link ExecutionResult}. */
    ExecutionResult execute(ExecutionContext context);

    /**
     * How long after a cancellation this executor may take to return (stop what it started). Past it the runner
     * gives the job back as a retry and replaces the slot thread that is still inside {@link #execute}.
     */
    default Duration stopGrace() {
        return Duration.ofSeconds(5);
    }

    /** Frees what the executor holds (HTTP client, class loaders). */
    @Override
    default void close() {
    }
}
