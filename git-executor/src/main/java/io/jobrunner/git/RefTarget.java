package io.jobrunner.git;

import org.eclipse.jgit.api.CreateBranchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a job moves a working copy: a branch (then the local branch follows {@code origin/<branch>}), a tag or
 * a commit (then HEAD is detached there).
 * <ol>
 *   <li>{@link #resolve}: after a fetch, a job's {@code ref} is looked up as a remote branch, then a tag, then a
 *       commit id (4 to 40 hex digits); {@code refs/heads/x} and {@code refs/tags/x} name one kind only;
 *       anything else is a permanent failure naming the ref and the URL;</li>
 *   <li>{@link #defaultBranch}: the branch the remote's HEAD points to, for a job without a ref;</li>
 *   <li>{@link #checkout}: moves the working copy there, overwriting the files (callers check for local
 *       changes first).</li>
 * </ol>
 *
 * @param kind   {@code branch}, {@code tag} or {@code commit}
 * @param name   the branch or tag name, or the commit id as the job gave it
 * @param commit the commit to check out
 */
record RefTarget(String kind, String name, ObjectId commit) {

    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{4,40}");
    private static final String REMOTE_BRANCHES = "refs/remotes/origin/";

    /** E.g. {@code branch main}, {@code tag v1.0}. */
    String describe() {
        return kind + " " + name;
    }

    static RefTarget resolve(Repository repo, String ref, String defaultBranch, String url) throws GitJobException, IOException {
        if (ref == null) {
            if (defaultBranch == null) {
                throw GitJobException.permanent("the repository " + url + " has no default branch (empty, or HEAD detached); give param 'ref'");
            }
            RefTarget branch = branch(repo, defaultBranch);
            if (branch == null) {
                throw GitJobException.permanent("branch '" + defaultBranch + "' no longer exists in " + url + "; give param 'ref'");
            }
            return branch;
        }
        RefTarget found;
        if (ref.startsWith(Constants.R_HEADS)) {
            found = branch(repo, ref.substring(Constants.R_HEADS.length()));
        } else if (ref.startsWith(Constants.R_TAGS)) {
            found = tag(repo, ref.substring(Constants.R_TAGS.length()));
        } else {
            found = branch(repo, ref);
            if (found == null) {
                found = tag(repo, ref);
            }
            if (found == null && COMMIT_ID.matcher(ref).matches()) {
                found = commit(repo, ref, url);
            }
        }
        if (found == null) {
            throw GitJobException.permanent("ref '" + ref + "' is not a branch, tag or commit of " + url);
        }
        return found;
    }

    /**
     * The branch the remote's HEAD names: its symbolic target when advertised, else the branch at the same
     * commit (main, then master, then the first by name); null for an empty repository.
     */
    static String defaultBranch(FetchResult fetched) {
        Ref head = fetched.getAdvertisedRef(Constants.HEAD);
        if (head == null) {
            return null;
        }
        if (head.isSymbolic() && head.getTarget().getName().startsWith(Constants.R_HEADS)) {
            return head.getTarget().getName().substring(Constants.R_HEADS.length());
        }
        ObjectId at = head.getObjectId();
        List<String> candidates = fetched.getAdvertisedRefs().stream()
                .filter(r -> r.getName().startsWith(Constants.R_HEADS) && at != null && at.equals(r.getObjectId()))
                .map(r -> r.getName().substring(Constants.R_HEADS.length()))
                .sorted()
                .toList();
        for (String preferred : List.of("main", "master")) {
            if (candidates.contains(preferred)) {
                return preferred;
            }
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    /** Moves HEAD and the files to this target; local changes are overwritten. */
    void checkout(Git git, ProgressMonitor monitor) throws GitAPIException {
        if (kind.equals("branch")) {
            Repository repo = git.getRepository();
            boolean exists;
            try {
                exists = repo.exactRef(Constants.R_HEADS + name) != null;
            } catch (IOException e) {
                throw new org.eclipse.jgit.api.errors.JGitInternalException(e.getMessage(), e);
            }
            git.checkout().setName(name).setCreateBranch(!exists).setStartPoint(REMOTE_BRANCHES + name)
                    .setUpstreamMode(CreateBranchCommand.SetupUpstreamMode.TRACK).setForced(true)
                    .setProgressMonitor(monitor).call();
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(REMOTE_BRANCHES + name).setProgressMonitor(monitor).call();
        } else {
            git.checkout().setName(commit.name()).setForced(true).setProgressMonitor(monitor).call();
        }
    }

    private static RefTarget branch(Repository repo, String branch) throws IOException {
        if (!Repository.isValidRefName(Constants.R_HEADS + branch)) {
            return null;
        }
        Ref ref = repo.exactRef(REMOTE_BRANCHES + branch);
        return ref == null || ref.getObjectId() == null ? null : new RefTarget("branch", branch, ref.getObjectId());
    }

    private static RefTarget tag(Repository repo, String tag) throws IOException, GitJobException {
        if (!Repository.isValidRefName(Constants.R_TAGS + tag)) {
            return null;
        }
        Ref ref = repo.exactRef(Constants.R_TAGS + tag);
        if (ref == null) {
            return null;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return new RefTarget("tag", tag, walk.parseCommit(ref.getObjectId()).getId());
        } catch (IncorrectObjectTypeException e) {
            throw GitJobException.permanent("tag '" + tag + "' does not point to a commit");
        }
    }

    private static RefTarget commit(Repository repo, String id, String url) throws IOException, GitJobException {
        try {
            ObjectId commit = repo.resolve(id + "^{commit}");
            return commit == null ? null : new RefTarget("commit", id, commit);
        } catch (AmbiguousObjectException e) {
            throw GitJobException.permanent("commit id '" + id + "' is ambiguous in " + url + "; give more digits");
        } catch (IncorrectObjectTypeException e) {
            throw GitJobException.permanent("'" + id + "' in " + url + " is not a commit");
        } catch (RevisionSyntaxException e) {
            return null;
        }
    }
}
