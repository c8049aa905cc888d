package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;
import org.eclipse.jgit.api.errors.GitAPIException;

import java.io.IOException;

/**
 * One of the three git jobs ({@link CloneOperation}, {@link SyncOperation}, {@link RemoveOperation}). The
 * {@link GitExecutor} checks the params and the name, takes the repository lock and times the run; the
 * operation does the work on {@link GitRun#dir} and returns a success or throws.
 */
interface GitOperation {

    /** {@code clone}, {@code sync} or {@code remove}: the timer is {@code git.<verb>}. */
    String verb();

    /** True when the job must give {@code url} (a clone); else {@code name} or {@code url}. */
    boolean urlRequired();

    ExecutionResult run(GitRun run) throws GitJobException, GitAPIException, IOException;
}
