package io.jobrunner.git;

import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.Daemon;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JGit's git:// daemon on 127.0.0.1 (a free port), serving the bare repositories {@code <base>/<name>.git}
 * read-only. A real network transport for tests; stopped by {@link #close()}.
 */
final class GitDaemonServer implements AutoCloseable {

    private final Daemon daemon;

    private GitDaemonServer(Daemon daemon) {
        this.daemon = daemon;
    }

    static GitDaemonServer serve(Path base) throws IOException {
        Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        daemon.setRepositoryResolver((client, name) -> {
            String clean = name.startsWith("/") ? name.substring(1) : name;
            Path dir = base.resolve(clean).normalize();
            if (!dir.startsWith(base) || !Files.isDirectory(dir)) {
                throw new RepositoryNotFoundException(name);
            }
            try {
                return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
            } catch (IOException e) {
                throw new RepositoryNotFoundException(name, e);
            }
        });
        daemon.start();
        return new GitDaemonServer(daemon);
    }

    int port() {
        return daemon.getAddress().getPort();
    }

    /** {@code git://127.0.0.1:<port>/<name>.git}. */
    String url(String name) {
        return "git://127.0.0.1:" + port() + "/" + name + ".git";
    }

    @Override
    public void close() {
        try {
            daemon.stopAndWait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
