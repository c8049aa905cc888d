package io.jobrunner.git;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkingCopiesTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private WorkingCopies copies;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        copies = new WorkingCopies(root);
    }

    @Test
    void resolvesANameToOneDirectoryInTheRoot() throws Exception {
        assertThat(copies.resolve("pack")).isEqualTo(root.resolve("pack"));
        Files.createDirectories(root.resolve("pack"));
        assertThat(copies.resolve("pack")).isEqualTo(root.resolve("pack"));
        assertThatThrownBy(() -> copies.resolve("..")).isInstanceOf(GitJobException.class);
        assertThatThrownBy(() -> copies.resolve(outside.toString())).isInstanceOf(GitJobException.class);
    }

    @Test
    void refusesSymbolicLinks() throws Exception {
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nowhere"));

        assertThatThrownBy(() -> copies.resolve("out")).isInstanceOf(GitJobException.class)
                .hasMessageContaining("symbolic link").hasMessageContaining(outside.toString());
        assertThatThrownBy(() -> copies.resolve("dangling")).isInstanceOf(GitJobException.class).hasMessageContaining("symbolic link");
    }

    @Test
    void deletingATreeNeverFollowsLinks() throws Exception {
        Files.writeString(outside.resolve("precious.txt"), "keep");
        Path tree = Files.createDirectories(root.resolve("tree/sub"));
        Files.writeString(tree.resolve("f.txt"), "x");
        Files.createSymbolicLink(tree.resolve("link"), outside);

        copies.deleteTree(root.resolve("tree"));

        assertThat(root.resolve("tree")).doesNotExist();
        assertThat(outside.resolve("precious.txt")).hasContent("keep");
        assertThatThrownBy(() -> copies.deleteTree(outside)).hasMessageContaining("not directly inside the root");
    }

    @Test
    void temporaryDirectoriesMoveIntoPlaceAndLeftoversAreCleanedPerName() throws Exception {
        Path temp = copies.newTempDir("pack");
        assertThat(temp.getFileName().toString()).matches("\\.tmp-[0-9a-f]{16}-pack");
        Files.writeString(temp.resolve("f"), "x");
        copies.moveIntoPlace(temp, root.resolve("pack"));
        assertThat(root.resolve("pack/f")).exists();
        assertThat(temp).doesNotExist();

        Path stale = copies.newTempDir("pack");
        Path otherName = copies.newTempDir("pack-2");
        assertThat(copies.removeLeftovers("pack")).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(otherName).exists();
    }

    @Test
    void removeRenamesAwayThenDeletes() throws Exception {
        Files.createDirectories(root.resolve("pack/.git"));
        copies.remove(root.resolve("pack"), "pack");
        try (Stream<Path> entries = Files.list(root)) {
            assertThat(entries).isEmpty();
        }
    }
}
