package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionContext;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * The JGit progress monitor of one run: JGit polls {@link #isCancelled()} while it transfers objects and
 * writes files, so a run stops soon after the runner cancels it (job timeout, shutdown), after the job's own
 * timeout has passed, or after the repository lock was lost. Progress itself is not reported.
 */
final class JobProgressMonitor implements ProgressMonitor {

    private final ExecutionContext context;
    private final RepositoryLock lock;
    private final long deadlineNanos;
    private volatile String reason;

    JobProgressMonitor(ExecutionContext context, RepositoryLock lock, long startNanos) {
        this.context = context;
        this.lock = lock;
        java.time.Duration limit = context.timeout();
        long timeout = limit == null || limit.isZero() || limit.isNegative() ? Long.MAX_VALUE : limit.toNanos();
        this.deadlineNanos = timeout >= Long.MAX_VALUE - startNanos ? Long.MAX_VALUE : startNanos + timeout;
    }

    @Override
    public boolean isCancelled() {
        if (reason != null) {
            return true;
        }
        if (context.cancelled()) {
            reason = "cancelled by the runner (timeout or shutdown)";
        } else if (lock.lost()) {
            reason = "lost the repository lock";
        } else if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
            reason = "the job's timeout of " + context.timeout() + " passed";
        }
        return reason != null;
    }

    /** Why the run was stopped, or null while it may go on. */
    String stopReason() {
        isCancelled();
        return reason;
    }

    @Override
    public void start(int totalTasks) {
    }

    @Override
    public void beginTask(String title, int totalWork) {
    }

    @Override
    public void update(int completed) {
    }

    @Override
    public void endTask() {
    }

    @Override
    public void showDuration(boolean enabled) {
    }
}
