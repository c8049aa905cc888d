package io.jobrunner.testing;

import io.jobrunner.client.LoopbackRedis;

import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts Redis servers for tests, in this order:
 * <ol>
 *   <li>{@code JOBRUNNER_TEST_REDIS_URL}, when set (not started, not stopped);</li>
 *   <li>a {@code redis-server} from PATH on a free loopback port with a temporary directory;</li>
 *   <li>the embedded Redis binary from Maven Central ({@code com.github.codemonstur:embedded-redis});</li>
 *   <li>Testcontainers, when Docker is available.</li>
 * </ol>
 * {@code JOBRUNNER_TEST_REDIS_SERVER} overrides step 2: a path to a redis-server binary, or {@code none} to skip it.
 * Everything started here is stopped by {@link RunningRedis#close()} and, as a last resort, by a JVM shutdown hook.
 */
public final class RedisServers {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private RedisServers() {
    }

    /** A new Redis for the caller alone; ignores {@code JOBRUNNER_TEST_REDIS_URL} (the caller may stop it). */
    public static RunningRedis startDedicated() {
        Optional<Path> binary = findRedisServerOnPath();
        if (binary.isPresent()) {
            return startProcess(binary.get());
        }
        try {
            return startEmbedded();
        } catch (RuntimeException embeddedFailed) {
            if (dockerAvailable()) {
                return startContainer();
            }
            throw new IllegalStateException("no Redis for tests: no redis-server on PATH, the embedded binary failed ("
                    + embeddedFailed.getMessage() + ") and Docker is not available", embeddedFailed);
        }
    }

    /** A Redis for a test run: {@code JOBRUNNER_TEST_REDIS_URL} if set, else {@link #startDedicated()}. */
    public static RunningRedis startForRun() {
        String url = System.getenv("JOBRUNNER_TEST_REDIS_URL");
        if (url != null && !url.isBlank()) {
            return new External(url);
        }
        return startDedicated();
    }

    /** The embedded library's redis-server, extracted to a temporary file. */
    static Path embeddedBinary() {
        try {
            return redis.embedded.core.ExecutableProvider.newJarResourceProvider().get().toPath();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no redis-server on PATH and the embedded binary is not usable: " + e.getMessage(), e);
        }
    }

    /** The redis-server binary the fixture would start, if any. */
    public static Optional<Path> findRedisServerOnPath() {
        String override = System.getenv("JOBRUNNER_TEST_REDIS_SERVER");
        if (override != null && !override.isBlank()) {
            return "none".equals(override) ? Optional.empty() : Optional.of(Path.of(override));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A loopback port that was free a moment ago (for "nothing listens here" tests, or a server to start). */
    public static int freePort() {
        return LoopbackRedis.freePort();
    }

    /**
     * A redis-server from PATH on this port (e.g. the port of one the test stopped, to end an outage it made);
     * empty when there is no redis-server on PATH.
     */
    public static Optional<RunningRedis> startOnPort(int port) {
        return findRedisServerOnPath().map(binary -> {
            RunningRedis redis = startProcess(binary, port);
            if (redis == null) {
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            return redis;
        });
    }

    private static RunningRedis startProcess(Path binary) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // another process may take the port between probe and bind
            int port = freePort();
            try {
                RunningRedis redis = startProcess(binary, port);
                if (redis != null) {
                    return redis;
                }
                last = new IllegalStateException("redis-server did not start on port " + port);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts redis-server on the port; null when it did not answer there (the port was taken meanwhile). */
    private static RunningRedis startProcess(Path binary, int port) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jobrunner-redis-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory for redis-server", e);
        }
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile());
        try {
            Process process = pb.start();
            ProcessRedis redis = new ProcessRedis(process, port, dir);
            if (LoopbackRedis.awaitPong(port, process, START_TIMEOUT)) {
                return redis;
            }
            String why = readLog(dir);
            redis.close();
            LoggerFactory.getLogger(RedisServers.class).warn("redis-server did not start on port {}: {}", port, why);
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    private static RunningRedis startEmbedded() {
        int port = freePort();
        try {
            redis.embedded.RedisServer server = redis.embedded.RedisServer.newRedisServer()
                    .port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            EmbeddedRedis running = new EmbeddedRedis(server, port);
            if (!LoopbackRedis.awaitPong(port, null, START_TIMEOUT)) {
                running.close();
                throw new IllegalStateException("embedded redis did not answer on port " + port);
            }
            return running;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded redis: " + e.getMessage(), e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static RunningRedis startContainer() {
        GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
        container.start();
        return new ContainerRedis(container);
    }


    /** Waits (bounded) until nothing accepts connections on the port: the process is gone. */
    static void waitUntilClosed(int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && accepts(port)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    private static final List<RunningRedis> STARTED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<RunningRedis> all;
            synchronized (STARTED) {
                all = new ArrayList<>(STARTED);
            }
            all.forEach(RunningRedis::close);
        }, "redis-fixture-shutdown"));
    }

    static void track(RunningRedis redis) {
        synchronized (STARTED) {
            STARTED.add(redis);
        }
    }

    static void untrack(RunningRedis redis) {
        synchronized (STARTED) {
            STARTED.remove(redis);
        }
    }

    private record External(String uri) implements RunningRedis {
        @Override
        public String kind() {
            return "env";
        }

        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public void close() {
            // not ours to stop
        }
    }

    private static final class ProcessRedis implements RunningRedis {
        private final Process process;
        private final int port;
        private final Path dir;

        ProcessRedis(Process process, int port, Path dir) {
            this.process = process;
            this.port = port;
            this.dir = dir;
            track(this);
        }

        @Override
        public String uri() {
            return "redis://127.0.0.1:" + port;
        }

        @Override
        public String kind() {
            return "path";
        }

        @Override
        public boolean isRunning() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            deleteTree(dir);
            untrack(this);
        }

        @Override
        public String toString() {
            return "redis-server pid " + process.pid() + " on " + uri();
        }
    }

    private static final class EmbeddedRedis implements RunningRedis {
        private final redis.embedded.RedisServer server;
        private final int port;

        EmbeddedRedis(redis.embedded.RedisServer server, int port) {
            this.server = server;
            this.port = port;
            track(this);
        }

        @Override
        public String uri() {
            return "redis://127.0.0.1:" + port;
        }

        @Override
        public String kind() {
            return "embedded";
        }

        @Override
        public boolean isRunning() {
            return server.isActive();
        }

        @Override
        public void close() {
            try {
                server.stop(); // a forced stop: SIGKILL, without waiting for the process to go
            } catch (IOException ignored) {
                // already gone
            }
            waitUntilClosed(port);
            untrack(this);
        }
    }

    private static final class ContainerRedis implements RunningRedis {
        private final GenericContainer<?> container;

        ContainerRedis(GenericContainer<?> container) {
            this.container = container;
            track(this);
        }

        @Override
        public String uri() {
            return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
        }

        @Override
        public String kind() {
            return "container";
        }

        @Override
        public boolean isRunning() {
            return container.isRunning();
        }

        @Override
        public void close() {
            container.stop();
            untrack(this);
        }
    }
}
