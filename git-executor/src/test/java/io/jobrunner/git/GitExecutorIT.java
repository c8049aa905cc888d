package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The three git executors against repositories on disk (file://), with the lock in a real Redis. */
@ExtendWith(RedisExtension.class)
class GitExecutorIT {

    @TempDir
    Path tmp;

    private GitRig rig;
    private OriginRepo origin;
    private Path root;

    @BeforeEach
    void setUp(TestRedis redis) throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        origin = OriginRepo.create(Files.createDirectories(tmp.resolve("remote")), "pack");
        rig = new GitRig(redis.client(), root.toRealPath());
    }

    @AfterEach
    void tearDown() {
        rig.close();
        origin.close();
    }

    @Test
    void clonesIntoTheNameDerivedFromTheUrlAtTheDefaultBranch() throws Exception {
        ExecutionResult result = rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));

        assertThat(result).isInstanceOf(ExecutionResult.Success.class);
        assertThat(result.message()).contains("cloned", "'pack'", "branch main", origin.head().name());
        assertThat(root.resolve("pack/README.md")).hasContent("# pack\n");
        assertThat(headOf("pack")).isEqualTo(origin.head());
        try (Git git = Git.open(root.resolve("pack").toFile())) {
            assertThat(git.getRepository().getBranch()).isEqualTo("main");
            assertThat(git.getRepository().getConfig().getBoolean("core", "symlinks", true)).isFalse();
        }
        assertThat(tempDirs()).isEmpty();
        assertThat(rig.metrics.timer(MetricName.of("jobrunner_git_operation_seconds", "operation", "clone")).getCount()).isEqualTo(1);
    }

    @Test
    void aSecondIdenticalCloneSucceedsWithoutCloningAgain() throws Exception {
        GitExecutor clone = rig.cloner();
        assertThat(clone.execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "name", "labki"))).isInstanceOf(ExecutionResult.Success.class);
        Path marker = root.resolve("labki/.git/marker");
        Files.writeString(marker, "same clone");
        origin.commit("new.txt", "new\n", "after the first clone");

        ExecutionResult again = clone.execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "name", "labki"));

        assertThat(again).isInstanceOf(ExecutionResult.Success.class);
        assertThat(again.message()).contains("already holds a clone", "not cloned again");
        assertThat(marker).exists();
        assertThat(root.resolve("labki/new.txt")).doesNotExist();
    }

    @Test
    void aCloneOfAnotherUrlUnderATakenNameFailsPermanently() throws Exception {
        OriginRepo other = OriginRepo.create(Files.createDirectories(tmp.resolve("other")), "other");
        try (other) {
            rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "name", "shared"));

            ExecutionResult result = rig.cloner().execute(TestContext.of("repoAdd", "url", other.fileUrl(), "name", "shared"));

            assertPermanent(result, "already holds a clone of", "give another name");
        }
    }

    @Test
    void syncMovesToACommitPushedAfterTheCloneAndReportsOldAndNew() throws Exception {
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        ObjectId before = origin.head();
        ObjectId after = origin.commit("pages/Main.wiki", "v2\n", "second");

        ExecutionResult result = rig.syncer().execute(TestContext.of("repoSync", "name", "pack"));

        assertThat(result).isInstanceOf(ExecutionResult.Success.class);
        assertThat(result.message()).contains("old " + before.name(), "new " + after.name(), "branch main");
        assertThat(root.resolve("pack/pages/Main.wiki")).hasContent("v2\n");
        assertThat(headOf("pack")).isEqualTo(after);
        GitRepositoryStatus.RepositoryState state = rig.factory.statuses().get(root.toRealPath()).repository("pack");
        assertThat(state.commit()).isEqualTo(after.name());
        assertThat(state.operation()).isEqualTo("sync");
        assertThat(state.ref()).isEqualTo("branch main");
        assertThat(rig.metrics.timer(MetricName.of("jobrunner_git_operation_seconds", "operation", "sync")).getCount()).isEqualTo(1);
    }

    @Test
    void syncFetchesTheCheckedUrlWhateverTheConfigRewrites() throws Exception {
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        try (Git git = Git.open(root.resolve("pack").toFile())) {
            org.eclipse.jgit.lib.StoredConfig config = git.getRepository().getConfig();
            config.setString("url", "git://127.0.0.1:9/", "insteadOf", "file:///");
            config.save();
        }
        ObjectId next = origin.commit("x.txt", "x\n", "x");

        ExecutionResult result = rig.syncer().execute(TestContext.of("repoSync", "name", "pack"));

        assertThat(result).isInstanceOf(ExecutionResult.Success.class);
        assertThat(result.message()).contains("new " + next.name());
    }

    @Test
    void syncIsIdempotent() throws Exception {
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        origin.commit("a.txt", "a\n", "a");
        GitExecutor sync = rig.syncer();
        assertThat(sync.execute(TestContext.of("repoSync", "url", origin.fileUrl()))).isInstanceOf(ExecutionResult.Success.class);

        ExecutionResult again = sync.execute(TestContext.of("repoSync", "url", origin.fileUrl()));

        assertThat(again).isInstanceOf(ExecutionResult.Success.class);
        assertThat(again.message()).contains("unchanged at " + origin.head().name());
    }

    @Test
    void syncToATagAndToACommitDetachesThere() throws Exception {
        ObjectId first = origin.head();
        origin.tag("v1.0");
        ObjectId second = origin.commit("b.txt", "b\n", "b");
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        assertThat(headOf("pack")).isEqualTo(second);

        ExecutionResult toTag = rig.syncer().execute(TestContext.of("repoSync", "name", "pack", "ref", "v1.0"));
        assertThat(toTag.message()).contains("tag v1.0", "old " + second.name(), "new " + first.name());
        assertThat(headOf("pack")).isEqualTo(first);
        assertThat(root.resolve("pack/b.txt")).doesNotExist();

        ExecutionResult toCommit = rig.syncer().execute(TestContext.of("repoSync", "name", "pack", "ref", second.name().substring(0, 10)));
        assertThat(toCommit.message()).contains("commit " + second.name().substring(0, 10), "new " + second.name());
        assertThat(headOf("pack")).isEqualTo(second);
        try (Git git = Git.open(root.resolve("pack").toFile())) {
            assertThat(git.getRepository().getFullBranch()).isEqualTo(second.name());
        }
    }

    @Test
    void cloneAndSyncToAnotherBranch() throws Exception {
        origin.branch("release");
        ObjectId release = origin.commit("r.txt", "r\n", "release only");
        origin.checkout("main");
        ExecutionResult cloned = rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "ref", "release"));
        assertThat(cloned.message()).contains("branch release");
        assertThat(headOf("pack")).isEqualTo(release);

        ObjectId main = origin.commit("m.txt", "m\n", "main moves");
        ExecutionResult synced = rig.syncer().execute(TestContext.of("repoSync", "name", "pack", "ref", "main"));
        assertThat(synced.message()).contains("branch main", "new " + main.name());
        try (Git git = Git.open(root.resolve("pack").toFile())) {
            assertThat(git.getRepository().getBranch()).isEqualTo("main");
        }
    }

    @Test
    void anUnknownRefFailsPermanentlyAndLeavesNoClone() throws Exception {
        ExecutionResult clone = rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "ref", "no-such-branch"));
        assertPermanent(clone, "ref 'no-such-branch' is not a branch, tag or commit of " + origin.fileUrl());
        assertThat(root.resolve("pack")).doesNotExist();
        assertThat(tempDirs()).isEmpty();

        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        ExecutionResult sync = rig.syncer().execute(TestContext.of("repoSync", "name", "pack", "ref", "v9.9"));
        assertPermanent(sync, "ref 'v9.9' is not a branch, tag or commit");
    }

    @Test
    void aDirtyWorkingCopyFailsTheSyncUnlessConfiguredToDiscard() throws Exception {
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        ObjectId next = origin.commit("c.txt", "c\n", "c");
        Files.writeString(root.resolve("pack/README.md"), "edited by hand\n");
        Files.writeString(root.resolve("pack/untracked.txt"), "stray\n");

        ExecutionResult refused = rig.syncer().execute(TestContext.of("repoSync", "name", "pack"));
        assertPermanent(refused, "has local changes", "README.md", "untracked.txt", "discard-local-changes");
        assertThat(root.resolve("pack/README.md")).hasContent("edited by hand\n");

        ExecutionResult discarded = rig.executor("git-sync", "discard-local-changes = true").execute(TestContext.of("repoSync", "name", "pack"));
        assertThat(discarded).isInstanceOf(ExecutionResult.Success.class);
        assertThat(headOf("pack")).isEqualTo(next);
        assertThat(root.resolve("pack/README.md")).hasContent("# pack\n");
        assertThat(root.resolve("pack/untracked.txt")).doesNotExist();
    }

    @Test
    void unpushedLocalCommitsAreLocalChanges() throws Exception {
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        origin.commit("remote.txt", "r\n", "remote moves on");
        try (Git git = Git.open(root.resolve("pack").toFile())) {
            Files.writeString(root.resolve("pack/local.txt"), "mine\n");
            git.add().addFilepattern("local.txt").call();
            git.commit().setMessage("local work").setAuthor("l", "l@example.com").setCommitter("l", "l@example.com").call();
        }

        ExecutionResult refused = rig.syncer().execute(TestContext.of("repoSync", "name", "pack"));

        assertPermanent(refused, "1 local commit(s) that are not on the remote");
        assertThat(root.resolve("pack/local.txt")).exists();
    }

    @Test
    void syncOfAMissingWorkingCopyIsRetried() {
        ExecutionResult result = rig.syncer().execute(TestContext.of("repoSync", "name", "not-cloned-yet"));

        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(result.message()).contains("no working copy 'not-cloned-yet'", "git-clone");
    }

    @Test
    void removeDeletesTheWorkingCopyAndSucceedsWhenItIsGone() throws Exception {
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        GitExecutor remove = rig.remover();

        ExecutionResult removed = remove.execute(TestContext.of("repoRemove", "url", origin.fileUrl()));
        assertThat(removed).isInstanceOf(ExecutionResult.Success.class);
        assertThat(removed.message()).contains("removed working copy 'pack'");
        assertThat(root.resolve("pack")).doesNotExist();
        assertThat(tempDirs()).isEmpty();
        assertThat(rig.factory.statuses().get(root.toRealPath()).repository("pack")).isNull();

        ExecutionResult again = remove.execute(TestContext.of("repoRemove", "name", "pack"));
        assertThat(again).isInstanceOf(ExecutionResult.Success.class);
        assertThat(again.message()).contains("already gone");
        assertThat(rig.metrics.timer(MetricName.of("jobrunner_git_operation_seconds", "operation", "remove")).getCount()).isEqualTo(2);
    }

    @Test
    void removeRefusesWhatIsNotAWorkingCopyOrIsAnotherClone() throws Exception {
        Files.createDirectories(root.resolve("plain/sub"));
        assertPermanent(rig.remover().execute(TestContext.of("repoRemove", "name", "plain")), "not a git working copy");
        assertThat(root.resolve("plain/sub")).exists();

        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "name", "mine"));
        ExecutionResult other = rig.remover().execute(TestContext.of("repoRemove", "name", "mine", "url", "file:///elsewhere/x.git"));
        assertPermanent(other, "is a clone of", "not removing it");
        assertThat(root.resolve("mine")).exists();
    }

    @Test
    void leftoversOfACrashedCloneAreDeletedByTheNextJobOnThatName() throws Exception {
        Path leftover = Files.createDirectories(root.resolve(".tmp-0123456789abcdef-pack/.git"));
        Path otherName = Files.createDirectories(root.resolve(".tmp-0123456789abcdef-pack2"));

        assertThat(rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()))).isInstanceOf(ExecutionResult.Success.class);

        assertThat(leftover.getParent()).doesNotExist();
        assertThat(otherName).exists();
    }

    @Test
    void statusSnapshotListsEachRepository() throws Exception {
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "name", "b-repo"));
        rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "name", "a-repo"));

        GitRepositoryStatus status = rig.cloner().repositoryStatus();

        assertThat(status.repositories()).containsOnlyKeys("a-repo", "b-repo");
        @SuppressWarnings("unchecked")
        java.util.Map<String, java.util.Map<String, Object>> repos = (java.util.Map<String, java.util.Map<String, Object>>) status.snapshot().get("repositories");
        assertThat(repos.keySet()).containsExactly("a-repo", "b-repo");
        assertThat(repos.get("a-repo")).containsEntry("commit", origin.head().name()).containsEntry("ref", "branch main")
                .containsEntry("url", origin.fileUrl()).containsEntry("operation", "clone").containsKey("lastSyncAt");
        assertThat(status.snapshot()).containsEntry("root", root.toRealPath().toString());
    }

    static void assertPermanent(ExecutionResult result, String... parts) {
        assertThat(result).isInstanceOf(ExecutionResult.Failure.class);
        assertThat(((ExecutionResult.Failure) result).permanent()).as("permanent: " + result.message()).isTrue();
        assertThat(result.message()).contains(parts);
    }

    private ObjectId headOf(String name) throws IOException {
        try (Git git = Git.open(root.resolve(name).toFile())) {
            return git.getRepository().resolve("HEAD");
        }
    }

    private java.util.List<Path> tempDirs() throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }
}
