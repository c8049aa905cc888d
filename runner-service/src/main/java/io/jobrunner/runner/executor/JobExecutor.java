package io.jobrunner.runner.executor;

/**
 * Runs one job of the types it is configured for (DESIGN.md section 7). Implementations are thread-safe:
 * one instance serves every slot. {@link #execute} blocks until the job ends, honouring
 * {@link ExecutionContext#cancelled()} (timeout or shutdown) by stopping what it started (a process tree,
 * an HTTP request, a thread).
 */
public interface JobExecutor extends AutoCloseable {

    /** Runs the job; never throws for a job's own failure, which is a {@link ExecutionResult}. */
    ExecutionResult execute(ExecutionContext context);

    /** Frees what the executor holds (HTTP client, class loaders). */
    @Override
    default void close() {
    }
}
