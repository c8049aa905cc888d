package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.git.UrlPolicy.RemoteUrl;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;

/**
 * {@code git-sync {name | url, ref?}}: fetches and moves the working copy to {@code ref} (a branch, a tag or a
 * commit; default: the branch checked out, or the remote's default branch when HEAD is detached).
 * <ol>
 *   <li>checks the stored {@code origin} URL against the URL policy (and against the job's {@code url} when
 *       given), so a working copy cannot be used to reach a disallowed host;</li>
 *   <li>before the fetch, measures local changes; unless {@code discard-local-changes} is set, a dirty
 *       working copy, or a branch whose unpushed commits the move would lose, is a permanent failure saying
 *       so; when set, they are discarded (reset to HEAD, untracked files deleted);</li>
 *   <li>reports the old and the new commit in the result and the log; a sync to where it already is
 *       succeeds the same way (idempotent).</li>
 * </ol>
 * A working copy that does not exist yet (its clone may still be queued) is a retryable failure.
 */
final class SyncOperation implements GitOperation {

    @Override
    public String verb() {
        return "sync";
    }

    @Override
    public boolean urlRequired() {
        return false;
    }

    @Override
    public ExecutionResult run(GitRun run) throws GitJobException, GitAPIException, IOException {
        if (!Files.exists(run.dir, LinkOption.NOFOLLOW_LINKS)) {
            throw GitJobException.retry("no working copy '" + run.name() + "' in the root yet; clone it first (git-clone); will retry", null);
        }
        if (!GitRun.isWorkingCopy(run.dir)) {
            throw GitJobException.permanent("'" + run.name() + "' in the root is not a git working copy; not syncing it");
        }
        try (Git git = GitRun.open(run.dir)) {
            Repository repo = git.getRepository();
            RemoteUrl origin = origin(run, repo);
            GitRun.configure(repo, null);
            LocalChanges local = LocalChanges.of(git);
            boolean discard = run.settings.discardLocalChanges();
            if (local.dirty() && !discard) {
                throw GitJobException.permanent("working copy '" + run.name() + "' has local changes: " + local.describeFiles()
                        + "; not syncing (set discard-local-changes = true to let git-sync discard them)");
            }
            ObjectId old = GitRun.head(repo);
            String current = repo.getFullBranch();
            FetchResult fetched = run.fetch(git, origin);
            run.checkNotStopped("sync of '" + run.name() + "'");
            String fallback = current != null && current.startsWith(Constants.R_HEADS)
                    ? current.substring(Constants.R_HEADS.length())
                    : RefTarget.defaultBranch(fetched);
            RefTarget target = RefTarget.resolve(repo, run.params.ref(), fallback, origin.text());
            if (target.kind().equals("branch") && local.wouldLose(repo, target.name(), target.commit())) {
                if (!discard) {
                    throw GitJobException.permanent("branch '" + target.name() + "' of working copy '" + run.name() + "' has "
                            + local.unpushed().get(target.name()) + " local commit(s) that are not on the remote and moving it to "
                            + target.commit().name() + " would lose them; not syncing (set discard-local-changes = true to allow)");
                }
                run.info("discarding " + local.unpushed().get(target.name()) + " unpushed commit(s) of branch '" + target.name() + "' in '" + run.name() + "'");
            }
            if (local.dirty()) {
                run.info("discarding local changes of '" + run.name() + "': " + local.describeFiles());
                LocalChanges.discard(git, run.monitor);
            }
            target.checkout(git, run.monitor);
            ObjectId now = GitRun.head(repo);
            run.recordUpdate(origin.text(), target, now, "sync");
            String oldText = old == null ? "none" : old.name();
            if (now.equals(old)) {
                return new ExecutionResult.Success("synced '" + run.name() + "' to " + target.describe() + ": unchanged at " + now.name()
                        + " (old " + oldText + ", new " + now.name() + ")");
            }
            return new ExecutionResult.Success("synced '" + run.name() + "' to " + target.describe() + ": old " + oldText + ", new " + now.name());
        }
    }

    /** The stored origin, checked against the policy and the job's URL. */
    static RemoteUrl origin(GitRun run, Repository repo) throws GitJobException {
        String stored = GitRun.originUrl(repo);
        if (stored == null) {
            throw GitJobException.permanent("working copy '" + run.name() + "' has no origin remote; not a clone made by git-clone");
        }
        RemoteUrl origin;
        try {
            origin = run.policy.check(stored);
        } catch (GitJobException e) {
            throw GitJobException.permanent("working copy '" + run.name() + "': its origin is not allowed: " + e.getMessage());
        }
        if (run.params.url() != null && !GitRun.sameRepository(stored, run.params.url().text())) {
            throw GitJobException.permanent("working copy '" + run.name() + "' is a clone of " + origin + ", not " + run.params.url());
        }
        return origin;
    }
}
