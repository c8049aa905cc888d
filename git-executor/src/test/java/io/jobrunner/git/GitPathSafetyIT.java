package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.jobrunner.git.GitExecutorIT.assertPermanent;
import static org.assertj.core.api.Assertions.assertThat;

/** A git job can never read or write outside the root: names, derived names and symbolic links. */
@ExtendWith(RedisExtension.class)
class GitPathSafetyIT {

    @TempDir
    Path tmp;

    private GitRig rig;
    private OriginRepo origin;
    private Path root;
    private Path outside;

    @BeforeEach
    void setUp(TestRedis redis) throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        origin = OriginRepo.create(Files.createDirectories(tmp.resolve("remote")), "pack");
        rig = new GitRig(redis.client(), root);
    }

    @AfterEach
    void tearDown() {
        rig.close();
        origin.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../outside", "../../etc", "/etc", "/tmp/x", "a/b", "a\\b", ".", ".git", ".tmp-0123456789abcdef-pack", "-rf", "x\u0000y"})
    void namesThatAreNotOnePlainDirectoryAreRejectedByEveryKind(String name) throws Exception {
        for (GitExecutor executor : new GitExecutor[]{rig.cloner(), rig.syncer(), rig.remover()}) {
            ExecutionResult result = executor.execute(TestContext.of("job", "url", origin.fileUrl(), "name", name));
            assertPermanent(result, "param 'name'", "is not allowed");
        }
        assertThat(entries(root)).isEmpty();
        assertThat(entries(outside)).isEmpty();
    }

    @Test
    void aUrlWhoseNameCannotBeDerivedIsRejected() {
        ExecutionResult result = rig.cloner().execute(TestContext.of("job", "url", "file:///"));
        assertThat(result).isInstanceOf(ExecutionResult.Failure.class);
        assertThat(((ExecutionResult.Failure) result).permanent()).isTrue();
        assertThat(entries(root)).isEmpty();
    }

    @Test
    void aSymbolicLinkOutOfTheRootIsNeverFollowed() throws Exception {
        // a real clone outside the root, reachable through a link inside it
        GitRig outsideRig = new GitRig(rig.client, outside);
        try (outsideRig) {
            assertThat(outsideRig.cloner().execute(TestContext.of("job", "url", origin.fileUrl(), "name", "target"))).isInstanceOf(ExecutionResult.Success.class);
        }
        Files.createSymbolicLink(root.resolve("evil"), outside.resolve("target"));
        origin.commit("moved.txt", "x\n", "move");

        assertPermanent(rig.cloner().execute(TestContext.of("job", "url", origin.fileUrl(), "name", "evil")), "symbolic link");
        assertPermanent(rig.syncer().execute(TestContext.of("job", "name", "evil")), "symbolic link");
        assertPermanent(rig.remover().execute(TestContext.of("job", "name", "evil")), "symbolic link");

        assertThat(outside.resolve("target/README.md")).exists();
        assertThat(outside.resolve("target/moved.txt")).doesNotExist();
        assertThat(Files.isSymbolicLink(root.resolve("evil"))).isTrue();
    }

    @Test
    void aLinkToAnotherWorkingCopyInsideTheRootIsRejectedToo() throws Exception {
        rig.cloner().execute(TestContext.of("job", "url", origin.fileUrl(), "name", "real"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));

        assertPermanent(rig.remover().execute(TestContext.of("job", "name", "alias")), "symbolic link");
        assertThat(root.resolve("real/README.md")).exists();
    }

    @Test
    void aGitDirectoryThatIsALinkOutOfTheRootIsNotAWorkingCopy() throws Exception {
        GitRig outsideRig = new GitRig(rig.client, outside);
        try (outsideRig) {
            outsideRig.cloner().execute(TestContext.of("job", "url", origin.fileUrl(), "name", "target"));
        }
        Files.createDirectories(root.resolve("sneaky"));
        Files.createSymbolicLink(root.resolve("sneaky/.git"), outside.resolve("target/.git"));

        assertPermanent(rig.syncer().execute(TestContext.of("job", "name", "sneaky")), "not a git working copy");
        assertPermanent(rig.remover().execute(TestContext.of("job", "name", "sneaky")), "not a git working copy");
        assertPermanent(rig.cloner().execute(TestContext.of("job", "url", origin.fileUrl(), "name", "sneaky")), "not a git working copy");
        assertThat(outside.resolve("target/.git/HEAD")).exists();
    }

    @Test
    void checkedOutSymbolicLinksArePlainFiles() throws Exception {
        // a repository that holds a link pointing out of the root: checked out as a file with the link text
        Path author = origin.bare().getParent().resolve("pack-author");
        Files.createSymbolicLink(author.resolve("escape"), outside);
        origin.commit("after-link.txt", "x\n", "adds a symlink");

        assertThat(rig.cloner().execute(TestContext.of("job", "url", origin.fileUrl()))).isInstanceOf(ExecutionResult.Success.class);

        Path escape = root.resolve("pack/escape");
        assertThat(Files.isSymbolicLink(escape)).isFalse();
        assertThat(escape).isRegularFile().hasContent(outside.toString());
    }

    private static java.util.List<Path> entries(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
