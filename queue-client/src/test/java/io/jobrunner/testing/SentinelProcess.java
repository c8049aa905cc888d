package io.jobrunner.testing;

import io.jobrunner.client.LoopbackRedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Sentinel ({@code redis-server --sentinel}) watching one master as {@code mymaster} with a quorum of one,
 * on a free loopback port; {@link #close()} kills it. Needs {@code redis-server} on PATH (or the embedded binary).
 */
public final class SentinelProcess implements AutoCloseable {

    public static final String MASTER_NAME = "mymaster";

    private final Process process;
    private final int port;

    private SentinelProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts one watching the master at 127.0.0.1:{@code masterPort} and waits until it answers PING. */
    public static SentinelProcess watching(int masterPort, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path binary = RedisServers.findRedisServerOnPath().orElseGet(RedisServers::embeddedBinary);
        int port = RedisServers.freePort();
        Path conf = dir.resolve("sentinel.conf");
        Files.write(conf, List.of(
                "port " + port, "bind 127.0.0.1", "protected-mode yes", "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 5000"));
        Process process = new ProcessBuilder(binary.toString(), conf.toString(), "--sentinel").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel.log").toFile())).start();
        if (!LoopbackRedis.awaitPong(port, process, Duration.ofSeconds(20))) {
            process.destroyForcibly();
            throw new IllegalStateException("sentinel did not answer on port " + port + ": " + Files.readString(dir.resolve("sentinel.log")));
        }
        return new SentinelProcess(process, port);
    }

    /** {@code redis-sentinel://127.0.0.1:PORT#mymaster}. */
    public String uri() {
        return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER_NAME;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
