package io.jobrunner.git;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A repository a test clones from: a bare repository on disk ({@code <dir>/<name>.git}) and an author's
 * working copy that commits and pushes to it, so tests can move branches and tags after a clone.
 */
final class OriginRepo implements AutoCloseable {

    private final Path bare;
    private final Git author;

    private OriginRepo(Path bare, Git author) {
        this.bare = bare;
        this.author = author;
    }

    /** A bare repository {@code <dir>/<name>.git} with one commit on {@code main}. */
    static OriginRepo create(Path dir, String name) throws Exception {
        Path bare = dir.resolve(name + ".git");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
        Git author = Git.init().setInitialBranch("main").setDirectory(dir.resolve(name + "-author").toFile()).call();
        author.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
        OriginRepo origin = new OriginRepo(bare, author);
        origin.commit("README.md", "# " + name + "\n", "initial commit");
        return origin;
    }

    Path bare() {
        return bare;
    }

    /** {@code file:///.../<name>.git}. */
    String fileUrl() {
        return bare.toUri().toString();
    }

    /** Writes a file, commits it on the current branch and pushes that branch. */
    ObjectId commit(String file, String content, String message) throws Exception {
        Path path = author.getRepository().getWorkTree().toPath().resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        author.add().addFilepattern(".").call();
        RevCommit commit = author.commit().setMessage(message).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        String branch = author.getRepository().getBranch();
        author.push().setRemote("origin").setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch)).call();
        return commit.getId();
    }

    /** Adds {@code count} files of random bytes in one commit (a clone that takes many progress checks). */
    ObjectId commitManyFiles(int count, int size) throws Exception {
        Random random = new Random(42);
        Path work = author.getRepository().getWorkTree().toPath();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Path path = work.resolve("data/file-" + i + ".bin");
            Files.createDirectories(path.getParent());
            Files.write(path, bytes);
        }
        return commit("data/count.txt", count + "\n", count + " files");
    }

    /** An annotated tag at the current commit, pushed. */
    void tag(String name) throws Exception {
        author.tag().setName(name).setAnnotated(true).setMessage("tag " + name).call();
        author.push().setRemote("origin").setRefSpecs(new RefSpec("refs/tags/" + name + ":refs/tags/" + name)).call();
    }

    /** Creates and switches to a branch (pushed with the next commit). */
    void branch(String name) throws Exception {
        author.checkout().setCreateBranch(true).setName(name).call();
    }

    void checkout(String name) throws Exception {
        author.checkout().setName(name).call();
    }

    ObjectId head() throws IOException {
        return author.getRepository().resolve("HEAD");
    }

    @Override
    public void close() {
        author.close();
    }
}
