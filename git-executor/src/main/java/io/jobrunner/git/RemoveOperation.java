package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;
import org.eclipse.jgit.api.Git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;

/**
 * {@code git-remove {name | url}}: deletes the working copy.
 * <ol>
 *   <li>succeeds when it is already gone (idempotent);</li>
 *   <li>refuses a directory that is not a git working copy, and, when the job gives {@code url}, a clone of
 *       another URL;</li>
 *   <li>renames the tree out of the way atomically before deleting it, so a crash never leaves a
 *       half-deleted working copy under the name (the leftover is deleted by the next job on that name).</li>
 * </ol>
 */
final class RemoveOperation implements GitOperation {

    @Override
    public String verb() {
        return "remove";
    }

    @Override
    public boolean urlRequired() {
        return false;
    }

    @Override
    public ExecutionResult run(GitRun run) throws GitJobException, IOException {
        if (!Files.exists(run.dir, LinkOption.NOFOLLOW_LINKS)) {
            run.recordRemoved();
            return new ExecutionResult.Success("working copy '" + run.name() + "' is already gone");
        }
        if (!GitRun.isWorkingCopy(run.dir)) {
            throw GitJobException.permanent("'" + run.name() + "' in the root is not a git working copy; not removing it");
        }
        String origin;
        try (Git git = GitRun.open(run.dir)) {
            origin = GitRun.originUrl(git.getRepository());
        }
        if (run.params.url() != null && !GitRun.sameRepository(origin, run.params.url().text())) {
            throw GitJobException.permanent("working copy '" + run.name() + "' is a clone of " + Redactor.stripUserInfo(origin)
                    + ", not " + run.params.url() + "; not removing it");
        }
        run.copies.remove(run.dir, run.name());
        run.recordRemoved();
        return new ExecutionResult.Success("removed working copy '" + run.name() + "'" + (origin == null ? "" : " (" + Redactor.stripUserInfo(origin) + ")"));
    }
}
