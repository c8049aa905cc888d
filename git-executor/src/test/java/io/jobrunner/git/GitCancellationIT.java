package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellation (the runner's timeout or shutdown) and the job's own timeout stop a clone or a sync in the
 * middle of the transfer; a stopped clone leaves no half-written directory, a stopped sync leaves the
 * working copy usable; both are retries.
 */
@ExtendWith(RedisExtension.class)
class GitCancellationIT {

    private static final String GIT_PROTOCOL = "allowed-schemes = [git]\nallowed-hosts = [\"127.0.0.1\"]";

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    private static OriginRepo origin;
    private GitRig rig;
    private Path root;

    @BeforeAll
    static void createOrigin() throws Exception {
        origin = OriginRepo.create(Files.createDirectories(shared.resolve("remote")), "big");
        origin.commitManyFiles(300, 1024);
    }

    @AfterAll
    static void closeOrigin() {
        origin.close();
    }

    @BeforeEach
    void setUp(TestRedis redis) throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        rig = new GitRig(redis.client(), root);
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    @Test
    void aCloneCancelledMidTransferLeavesNothingBehind() throws Exception {
        TestContext whole = TestContext.of("repoAdd", "url", origin.fileUrl(), "name", "whole");
        assertThat(rig.cloner().execute(whole)).isInstanceOf(ExecutionResult.Success.class);
        int pollsOfAWholeClone = whole.polls();
        assertThat(pollsOfAWholeClone).as("JGit checks for cancellation throughout a clone").isGreaterThan(100);

        TestContext stopped = TestContext.of("repoAdd", "url", origin.fileUrl()).cancelAfterPolls(20);
        ExecutionResult result = rig.cloner().execute(stopped);

        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(result.message()).contains("stopped", "cancelled by the runner");
        assertThat(stopped.polls()).isLessThan(pollsOfAWholeClone);
        assertThat(root.resolve("big")).doesNotExist();
        assertThat(entries()).containsExactly(root.resolve("whole"));

        ExecutionResult retried = rig.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        assertThat(retried).isInstanceOf(ExecutionResult.Success.class);
        assertThat(root.resolve("big/data/file-299.bin")).exists();
    }

    @Test
    void aCloneOverGitProtocolStoppedAtEachPointLeavesNoHalfWrittenDirectory() throws Exception {
        try (GitDaemonServer daemon = GitDaemonServer.serve(origin.bare().getParent())) {
            GitExecutor clone = rig.executor("git-clone", GIT_PROTOCOL);
            // cancel after 2, 8, 32, ... polls: each phase (fetch, pack indexing, checkout) gets interrupted
            int polls = 2;
            while (stoppedAt(clone, daemon.url("big"), polls)) {
                assertThat(polls).as("a clone ends within a bounded number of progress checks").isLessThan(1_000_000);
                polls *= 4;
            }
            assertThat(root.resolve("big/data/file-299.bin")).exists();
        }
    }

    /** True when the clone was stopped (and then nothing is left); false when it finished first. */
    private boolean stoppedAt(GitExecutor clone, String url, int polls) throws Exception {
        TestContext stopped = TestContext.of("repoAdd", "url", url).cancelAfterPolls(polls);
        ExecutionResult result = clone.execute(stopped);
        if (result instanceof ExecutionResult.Success) {
            return false;
        }
        assertThat(result).as("after %d polls", polls).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(entries()).as("after %d polls", polls).isEmpty();
        return true;
    }

    @Test
    void theJobTimeoutStopsAClone() throws Exception {
        ExecutionResult result = rig.cloner().execute(TestContext.withTimeout(Duration.ofNanos(1), "repoAdd", "url", origin.fileUrl()));

        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(result.message()).contains("timeout");
        assertThat(entries()).isEmpty();
    }

    @Test
    void aRunCancelledBeforeItStartsDoesNothing() throws Exception {
        TestContext context = TestContext.of("repoAdd", "url", origin.fileUrl());
        context.cancel();

        ExecutionResult result = rig.cloner().execute(context);

        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(result.message()).contains("cancelled");
        assertThat(entries()).isEmpty();
    }

    @Test
    void aSyncCancelledMidFetchLeavesAUsableWorkingCopy() throws Exception {
        OriginRepo small = OriginRepo.create(Files.createDirectories(tmp.resolve("small-remote")), "small");
        try (small; GitDaemonServer daemon = GitDaemonServer.serve(small.bare().getParent())) {
            rig.executor("git-clone", GIT_PROTOCOL).execute(TestContext.of("repoAdd", "url", daemon.url("small")));
            ObjectId before = small.head();
            small.commitManyFiles(150, 1024);

            GitExecutor sync = rig.executor("git-sync", GIT_PROTOCOL);
            ExecutionResult stopped = sync.execute(TestContext.of("repoSync", "name", "small").cancelAfterPolls(20));
            assertThat(stopped).isInstanceOf(ExecutionResult.Retry.class);
            try (Git git = Git.open(root.resolve("small").toFile())) {
                assertThat(git.getRepository().resolve("HEAD")).isEqualTo(before);
                assertThat(git.status().call().isClean()).isTrue();
            }

            ExecutionResult retried = sync.execute(TestContext.of("repoSync", "name", "small"));
            assertThat(retried).isInstanceOf(ExecutionResult.Success.class);
            assertThat(retried.message()).contains("old " + before.name(), "new " + small.head().name());
        }
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> list = Files.list(root)) {
            return list.toList();
        }
    }
}
