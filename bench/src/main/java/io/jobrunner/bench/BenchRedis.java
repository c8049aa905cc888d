package io.jobrunner.bench;

import io.jobrunner.client.ClientSettings;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis the bench measures.
 * <ol>
 *   <li>starts a {@code redis-server} of its own on a free loopback port (no persistence), through the test
 *       fixture's {@link RedisServers}, or uses the URI given with {@code --redis};</li>
 *   <li>hands out a fresh key prefix per measurement pass and deletes its keys after: {@code FLUSHALL} on a
 *       Redis of its own, {@code SCAN}+{@code UNLINK} of that prefix only on someone else's;</li>
 *   <li>reads {@code INFO} (commandstats, cpu, memory) for the deltas the scenarios report;</li>
 *   <li>stops the Redis it started.</li>
 * </ol>
 */
public final class BenchRedis implements AutoCloseable {

    private static final AtomicInteger PASSES = new AtomicInteger();

    private final RunningRedis started;
    private final String uri;
    private final RedisClient lettuce;
    private final StatefulRedisConnection<String, String> admin;
    private final String runId = Long.toString(ProcessHandle.current().pid(), 36);

    private BenchRedis(RunningRedis started, String uri) {
        this.started = started;
        this.uri = uri;
        RedisURI parsed = RedisURI.create(uri);
        parsed.setTimeout(Duration.ofMinutes(2));
        this.lettuce = RedisClient.create(parsed);
        this.admin = lettuce.connect();
    }

    /** A redis-server of the bench's own (PATH, else the embedded binary). */
    public static BenchRedis startOwn() {
        RunningRedis redis = RedisServers.startDedicated();
        try {
            return new BenchRedis(redis, redis.uri());
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** Someone else's Redis: only keys under the bench's own prefixes are written and deleted. */
    public static BenchRedis external(String uri) {
        return new BenchRedis(null, uri);
    }

    public String uri() {
        return uri;
    }

    /** True when the bench started this Redis (and may flush it). */
    public boolean owned() {
        return started != null;
    }

    /** How the Redis was obtained: path, embedded, container, or external. */
    public String kind() {
        return started == null ? "external" : started.kind();
    }

    /** The Lettuce client, for scenarios that talk to Redis below queue-client (the ceiling). */
    public RedisClient lettuce() {
        return lettuce;
    }

    public RedisCommands<String, String> admin() {
        return admin.sync();
    }

    /** A fresh key prefix for one measurement pass. */
    public String newPrefix() {
        return "jrb" + runId + "-" + PASSES.incrementAndGet();
    }

    /** Client settings on this Redis with this prefix (long command timeout: passes push big batches). */
    public ClientSettings settings(String prefix) {
        return ClientSettings.of(uri).withPrefix(prefix).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    /** Deletes every key of a pass. */
    public void clean(String prefix) {
        if (owned()) {
            admin().flushall();
            return;
        }
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(prefix + ":*").limit(1000);
        do {
            KeyScanCursor<String> page = admin().scan(cursor, match);
            if (!page.getKeys().isEmpty()) {
                admin().unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    public RedisInfo info() {
        return RedisInfo.parse(admin().info("everything"));
    }

    public RedisInfo info(String section) {
        return RedisInfo.parse(admin().info(section));
    }

    @Override
    public void close() {
        admin.close();
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (started != null) {
            started.close();
        }
    }
}
