package io.jobrunner.testing;

import io.jobrunner.client.LoopbackRedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process a fault test owns and hurts as an operator's bad day would: killed with SIGKILL and
 * started again on the same port and directory (so it reloads its append-only file), frozen with SIGSTOP and thawed
 * with SIGCONT, or started late. Listens on 127.0.0.1 only; {@link #close()} kills it and removes its directory.
 * Needs {@code redis-server} on PATH (or {@code JOBRUNNER_TEST_REDIS_SERVER}).
 */
public final class RedisProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path binary;
    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;

    private RedisProcess(Path binary, int port, Path dir, List<String> options) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
        this.options = options;
    }

    /**
     * A server on a free port, not started yet; {@code options} are extra {@code redis-server} arguments, e.g.
     * {@code "--appendonly", "yes", "--appendfsync", "everysec"}.
     */
    public static RedisProcess onFreePort(Path dir, String... options) {
        Path binary = RedisServers.findRedisServerOnPath()
                .orElseThrow(() -> new IllegalStateException("fault tests need redis-server on PATH (apt-get install redis-server)"));
        return new RedisProcess(binary, RedisServers.freePort(), dir, List.of(options));
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it (again, after a kill: it reloads what it persisted) and waits until it answers PING. */
    public synchronized RedisProcess start() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning"));
        command.addAll(options);
        Files.createDirectories(dir);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        if (!LoopbackRedis.awaitPong(port, process, START_TIMEOUT)) {
            throw new IllegalStateException("redis-server did not answer on port " + port + ": " + Files.readString(dir.resolve("redis.log")));
        }
        return this;
    }

    /** SIGKILL, as a crash or the OOM killer would; waits until it is gone. */
    public synchronized void kill9() throws InterruptedException {
        if (process != null && process.isAlive()) {
            signal("CONT"); // a frozen process dies only once it runs again
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        RedisServers.waitUntilClosed(port);
    }

    /** SIGSTOP: connections stay open, nothing answers. */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public synchronized void thaw() {
        signal("CONT");
    }

    public Path dir() {
        return dir;
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + name + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        kill9();
    }
}
