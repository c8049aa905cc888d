package io.jobrunner.git;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a sync would throw away, measured before the fetch: files that differ from HEAD (modified, added,
 * removed, missing, conflicting, untracked; ignored files do not count) and local branches with commits that
 * are on no remote branch and no tag.
 *
 * @param files    the changed files, sorted (at most {@value #MAX_FILES} named)
 * @param changed  how many files differ from HEAD
 * @param unpushed local branch name to its commits found on no remote ref (at most {@value #MAX_WALK})
 */
record LocalChanges(List<String> files, int changed, Map<String, Integer> unpushed) {

    static final int MAX_FILES = 5;
    static final int MAX_WALK = 1000;

    boolean dirty() {
        return changed > 0;
    }

    /** E.g. {@code 3 changed files (a.txt, b/c.txt, d.txt)}. */
    String describeFiles() {
        String names = String.join(", ", files);
        return changed + " changed file" + (changed == 1 ? "" : "s") + " (" + names + (changed > files.size() ? ", ..." : "") + ")";
    }

    static LocalChanges of(Git git) throws GitAPIException, IOException {
        Status status = git.status().call();
        TreeSet<String> all = new TreeSet<>(status.getUncommittedChanges());
        all.addAll(status.getUntracked());
        all.addAll(status.getUntrackedFolders());
        all.addAll(status.getConflicting());
        List<String> named = all.stream().limit(MAX_FILES).toList();
        return new LocalChanges(named, all.size(), unpushed(git.getRepository()));
    }

    /** True when {@code branch} had unpushed commits and moving it to {@code target} would lose them. */
    boolean wouldLose(Repository repo, String branch, ObjectId target) throws IOException {
        if (unpushed.getOrDefault(branch, 0) == 0) {
            return false;
        }
        Ref local = repo.exactRef(Constants.R_HEADS + branch);
        if (local == null || local.getObjectId() == null) {
            return false;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return !walk.isMergedInto(walk.parseCommit(local.getObjectId()), walk.parseCommit(target));
        }
    }

    /** Resets the files to HEAD and deletes untracked files and folders (ignored files stay). */
    static void discard(Git git, ProgressMonitor monitor) throws GitAPIException {
        git.reset().setMode(ResetCommand.ResetType.HARD).setProgressMonitor(monitor).call();
        git.clean().setCleanDirectories(true).setForce(true).call();
    }

    private static Map<String, Integer> unpushed(Repository repo) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Ref> branches = repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS);
        if (branches.isEmpty()) {
            return counts;
        }
        Collection<Ref> published = new ArrayList<>(repo.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES));
        published.addAll(repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS));
        for (Ref branch : branches) {
            if (branch.getObjectId() == null) {
                continue;
            }
            try (RevWalk walk = new RevWalk(repo)) {
                walk.markStart(walk.parseCommit(branch.getObjectId()));
                for (Ref ref : published) {
                    ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                    if (id != null) {
                        try {
                            walk.markUninteresting(walk.parseCommit(id));
                        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                            // a tag of a tree or blob: not a commit, nothing to subtract
                        }
                    }
                }
                int count = 0;
                for (RevCommit ignored : walk) {
                    if (++count >= MAX_WALK) {
                        break;
                    }
                }
                if (count > 0) {
                    counts.put(branch.getName().substring(Constants.R_HEADS.length()), count);
                }
            }
        }
        return counts;
    }
}
