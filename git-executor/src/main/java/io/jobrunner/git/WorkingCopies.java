package io.jobrunner.git;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The directory of working copies, and the only class that builds paths in it. Guarantees that a job never
 * reads or writes outside the root.
 * <ol>
 *   <li>resolves a checked name to {@code <root>/<name>} and refuses an entry that is a symbolic link or whose
 *       real path is not exactly that (an escape, or an alias of another working copy);</li>
 *   <li>hands out temporary directories {@code <root>/.tmp-<16 hex>-<name>} for clones and removals, and
 *       moves them into place (or out of the way) with one atomic rename;</li>
 *   <li>deletes trees without following symbolic links, and only inside the root;</li>
 *   <li>deletes the leftovers of a crashed clone or removal of a name (called while holding its lock).</li>
 * </ol>
 */
final class WorkingCopies {

    private static final String TEMP_PREFIX = ".tmp-";
    private static final int RANDOM_HEX = 16;

    private final Path root;
    private final SecureRandom random = new SecureRandom();

    /** @param root a real path (no symbolic links), as {@link GitSettings#root()} gives */
    WorkingCopies(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * {@code <root>/<name>} for a name that passed {@link GitJobParams#checkName}; the entry may not exist.
     *
     * @throws GitJobException permanent, when the entry is a link or leaves the root
     */
    Path resolve(String name) throws GitJobException {
        GitJobParams.checkName(name);
        Path target = root.resolve(name).normalize();
        if (!target.getParent().equals(root)) {
            throw GitJobException.permanent("working copy name '" + name + "' leaves the root " + root);
        }
        if (Files.isSymbolicLink(target)) {
            String to;
            try {
                to = Files.readSymbolicLink(target).toString();
            } catch (IOException e) {
                to = "?";
            }
            throw GitJobException.permanent("working copy '" + name + "' is a symbolic link (to " + to
                    + "); working copies must be plain directories inside the root " + root);
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path real;
            try {
                real = target.toRealPath();
            } catch (IOException e) {
                throw GitJobException.retry("cannot read working copy '" + name + "': " + e, e);
            }
            if (!real.equals(target)) {
                throw GitJobException.permanent("working copy '" + name + "' resolves to " + real + ", outside its place in the root " + root);
            }
        }
        return target;
    }

    /** Creates a fresh, empty temporary directory for {@code name}, inside the root. */
    Path newTempDir(String name) throws IOException {
        byte[] bytes = new byte[RANDOM_HEX / 2];
        random.nextBytes(bytes);
        return Files.createDirectory(root.resolve(TEMP_PREFIX + HexFormat.of().formatHex(bytes) + "-" + name));
    }

    /** Moves a finished clone into place with one atomic rename; fails if the target exists. */
    void moveIntoPlace(Path temp, Path target) throws IOException {
        requireInside(temp);
        requireInside(target);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes a working copy: renames it out of the way atomically (so no half-deleted tree ever has the
     * name), then deletes the renamed tree.
     */
    void remove(Path target, String name) throws IOException {
        requireInside(target);
        Path temp = newTempDir(name);
        Files.delete(temp);
        Files.move(target, temp, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(temp);
    }

    /** Deletes a tree inside the root; links are deleted, never followed. Missing is fine. */
    void deleteTree(Path dir) throws IOException {
        requireInside(dir);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Deletes the temporary directories of {@code name} left by a crashed run; only safe while holding the
     * name's lock. Returns how many were deleted.
     */
    int removeLeftovers(String name) throws IOException {
        int removed = 0;
        String suffix = "-" + name;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, TEMP_PREFIX + "*")) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (file.length() == TEMP_PREFIX.length() + RANDOM_HEX + suffix.length() && file.endsWith(suffix)
                        && !Files.isSymbolicLink(entry)) {
                    deleteTree(entry);
                    removed++;
                }
            }
        }
        return removed;
    }

    private void requireInside(Path path) throws IOException {
        Path normal = path.toAbsolutePath().normalize();
        if (!normal.getParent().equals(root)) {
            throw new IOException("refusing to touch " + path + ": not directly inside the root " + root);
        }
    }
}
