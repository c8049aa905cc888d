package io.jobrunner.cli.quickstart;

import io.jobrunner.client.LocalCluster;
import io.jobrunner.client.LoopbackRedis;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Redis the quickstart runs on, started here and stopped by {@link #close()}:
 * <ol>
 *   <li>the {@code redis-server} on PATH, on a free loopback port, with a temporary directory and no
 *       persistence (a demo keeps nothing);</li>
 *   <li>else the embedded Redis binary ({@link EmbeddedRedis}: {@code com.github.codemonstur:embedded-redis}, in
 *       the quickstart-redis jar that {@code bin/jobrunner quickstart} puts on the classpath), so the quickstart
 *       works with no Redis installed and no network.</li>
 * </ol>
 * It binds 127.0.0.1 only. {@link #close()} stops the process, waits for it to exit and deletes the directory.
 */
public final class LocalRedis implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final int port;
    private final String kind;
    private final Process process;                       // the redis-server from PATH, or null
    private final AutoCloseable embedded;                // the embedded one, or null
    private final Path dir;

    private LocalRedis(int port, String kind, Process process, AutoCloseable embedded, Path dir) {
        this.port = port;
        this.kind = kind;
        this.process = process;
        this.embedded = embedded;
        this.dir = dir;
    }

    /**
     * Starts one: {@code redis-server} from PATH (through {@code setsid} when there is one, so a Ctrl-C in the
     * terminal reaches the quickstart, which stops in order, and not Redis), else the embedded binary. {@code JOBRUNNER_QUICKSTART_REDIS}
     * may name another redis-server binary, or be {@code embedded} to skip the one on PATH.
     *
     * @param warn told why the redis-server on PATH was not used, when it failed to start
     */
    public static LocalRedis start(Map<String, String> env, Consumer<String> warn) {
        Optional<Path> binary = findOnPath(env);
        if (binary.isPresent()) {
            try {
                return startProcess(binary.get(), find(env, "setsid"));
            } catch (IllegalStateException e) {
                warn.accept(e.getMessage() + "; using the embedded Redis instead");
            }
        }
        return startEmbedded();
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** A local Redis Cluster and its directory, both gone after {@link #close()}. */
    public record Cluster(LocalCluster nodes, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            nodes.close();
            deleteTree(dir);
        }
    }

    /**
     * Starts a local Redis Cluster of {@code masters} masters (no replicas), from the same binary {@link #start} would
     * use, each node in its own session (setsid) like the single server.
     */
    public static Cluster startCluster(Map<String, String> env, int masters) {
        List<String> program = new ArrayList<>();
        find(env, "setsid").ifPresent(s -> program.add(s.toString()));
        Optional<Path> binary = findOnPath(env);
        if (binary.isPresent()) {
            program.add(binary.get().toString());
        } else if (EmbeddedRedis.available()) {
            try {
                program.add(EmbeddedRedis.binary().toString());
            } catch (IOException e) {
                throw new IllegalStateException("cannot extract the embedded Redis: " + e.getMessage(), e);
            }
        } else {
            throw new IllegalStateException("a local cluster needs a redis-server on PATH or the embedded Redis on the classpath");
        }
        Path dir = tempDir();
        try {
            return new Cluster(LocalCluster.start(program, masters, 0, dir), dir);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis-server} (from PATH) or {@code embedded}. */
    public String kind() {
        return kind;
    }

    /** The pid of the redis-server process when it was started from PATH, else -1. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** True while the server answers PING. */
    public boolean answers() {
        return LoopbackRedis.ping(port);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy(); // SIGTERM: redis-server exits at once without persistence
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception ignored) {
                // already gone
            }
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    static Optional<Path> findOnPath(Map<String, String> env) {
        String override = env.get("JOBRUNNER_QUICKSTART_REDIS");
        if (override != null && !override.isBlank()) {
            return "embedded".equals(override) ? Optional.empty() : Optional.of(Path.of(override));
        }
        return find(env, "redis-server");
    }

    private static Optional<Path> find(Map<String, String> env, String program) {
        String path = env.get("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                Path candidate = Path.of(d, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static LocalRedis startProcess(Path binary, Optional<Path> setsid) {
        String failure = "";
        for (int attempt = 0; attempt < 3; attempt++) { // another process may take the port between probe and bind
            int port = LoopbackRedis.freePort();
            Path dir = tempDir();
            List<String> command = new ArrayList<>();
            setsid.ifPresent(s -> command.add(s.toString())); // its own session: the terminal's Ctrl-C does not reach it
            command.addAll(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                    "--protected-mode", "yes", "--loglevel", "warning"));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile());
            try {
                Process process = pb.start();
                if (LoopbackRedis.awaitPong(port, process, START_TIMEOUT)) {
                    return new LocalRedis(port, "redis-server", process, null, dir);
                }
                process.destroyForcibly();
                failure = readLog(dir);
            } catch (IOException e) {
                failure = e.getMessage();
            }
            deleteTree(dir);
        }
        throw new IllegalStateException("could not start " + binary + ": " + failure.strip());
    }

    private static LocalRedis startEmbedded() {
        if (!EmbeddedRedis.available()) {
            throw new IllegalStateException("no redis-server on PATH, and the embedded Redis is not on the classpath: install Redis"
                    + " (e.g. apt install redis-server), or run the quickstart through bin/jobrunner, which adds"
                    + " quickstart-redis/target/jobrunner-quickstart-redis.jar");
        }
        int port = LoopbackRedis.freePort();
        try {
            AutoCloseable server = EmbeddedRedis.start(port);
            LocalRedis redis = new LocalRedis(port, "embedded", null, server, null);
            if (!LoopbackRedis.awaitPong(port, null, START_TIMEOUT)) {
                redis.close();
                throw new IllegalStateException("the embedded Redis did not answer on 127.0.0.1:" + port);
            }
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded Redis: " + e.getMessage(), e);
        }
    }


    private static Path tempDir() {
        try {
            return Files.createTempDirectory("jobrunner-quickstart-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }



    private static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
