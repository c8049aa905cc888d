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
import java.nio.file.Path;

/**
 * {@code git-clone {url, ref?, name?}}: clones {@code url} into {@code <root>/<name>} at {@code ref} (default:
 * the remote's default branch).
 * <ol>
 *   <li>idempotent: when the working copy is already a clone of the same URL, succeeds at once without
 *       touching the network; a clone of another URL under that name is a permanent failure;</li>
 *   <li>clones into a fresh {@code <root>/.tmp-<random>-<name>} (init, configure, fetch, check out), then
 *       renames it into place atomically; on any failure, cancellation included, deletes the temporary
 *       directory, so no half-written clone is ever visible under the name.</li>
 * </ol>
 */
final class CloneOperation implements GitOperation {

    @Override
    public String verb() {
        return "clone";
    }

    @Override
    public boolean urlRequired() {
        return true;
    }

    @Override
    public ExecutionResult run(GitRun run) throws GitJobException, GitAPIException, IOException {
        RemoteUrl url = run.params.url();
        if (Files.exists(run.dir, LinkOption.NOFOLLOW_LINKS)) {
            return alreadyThere(run, url);
        }
        Path temp = run.copies.newTempDir(run.name());
        boolean moved = false;
        try {
            RefTarget target;
            ObjectId commit;
            try (Git git = Git.init().setDirectory(temp.toFile()).setGitDir(temp.resolve(Constants.DOT_GIT).toFile()).call()) {
                Repository repo = git.getRepository();
                GitRun.configure(repo, url.uri().toString());
                FetchResult fetched = run.fetch(git, url);
                run.checkNotStopped("clone of " + url);
                target = RefTarget.resolve(repo, run.params.ref(), RefTarget.defaultBranch(fetched), url.text());
                target.checkout(git, run.monitor);
                run.checkNotStopped("clone of " + url);
                commit = GitRun.head(repo);
            }
            run.copies.moveIntoPlace(temp, run.dir);
            moved = true;
            run.recordUpdate(url.text(), target, commit, "clone");
            return new ExecutionResult.Success("cloned " + url + " into '" + run.name() + "' at " + target.describe() + " " + commit.name());
        } finally {
            if (!moved) {
                run.copies.deleteTree(temp);
            }
        }
    }

    private static ExecutionResult alreadyThere(GitRun run, RemoteUrl url) throws GitJobException, IOException {
        if (!GitRun.isWorkingCopy(run.dir)) {
            throw GitJobException.permanent("'" + run.name() + "' already exists in the root but is not a git working copy; "
                    + "remove it or give another name");
        }
        try (Git git = GitRun.open(run.dir)) {
            Repository repo = git.getRepository();
            String origin = GitRun.originUrl(repo);
            if (!GitRun.sameRepository(origin, url.text())) {
                throw GitJobException.permanent("working copy '" + run.name() + "' already holds a clone of "
                        + Redactor.stripUserInfo(origin) + ", not " + url + "; give another name");
            }
            ObjectId head = GitRun.head(repo);
            String full = repo.getFullBranch();
            RefTarget at = full != null && full.startsWith(Constants.R_HEADS)
                    ? new RefTarget("branch", Repository.shortenRefName(full), head)
                    : new RefTarget("commit", head == null ? "none" : head.name(), head);
            if (head != null) {
                run.recordUpdate(url.text(), at, head, "clone");
            }
            return new ExecutionResult.Success("'" + run.name() + "' already holds a clone of " + url + " at " + at.describe()
                    + (head == null || at.kind().equals("commit") ? "" : " " + head.name()) + "; not cloned again");
        }
    }
}
