package io.jobrunner.mediawiki;

import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Lease;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;

/**
 * One Redis server of a MediaWiki install (a queue server or an aggregator), connected on first use. A server
 * that failed is left alone for {@code down-time} before it is tried again, so one dead server does not slow
 * every pass (the PHP services' 30 s rule).
 */
public final class MwServer implements AutoCloseable {

    private final ClientSettings settings;
    private final Duration downTime;
    private final String name;
    private JobRunnerClient client;
    private long downUntilNanos;
    private boolean everDown;

    public MwServer(ClientSettings settings, Duration downTime) {
        this.settings = settings;
        this.downTime = downTime;
        this.name = hostPort(settings.uri());
    }

    /** {@code host:port} (or the socket path), for logs and metric names; never the password. */
    public String name() {
        return name;
    }

    public String uri() {
        return JobRunnerClient.maskPassword(settings.uri());
    }

    /** True while the server is within its down-time after a failure. */
    public synchronized boolean isDown() {
        return everDown && System.nanoTime() - downUntilNanos < 0;
    }

    public RedisAsyncCommands<String, String> async() {
        return client().standalone().async();
    }

    public RedisCommands<String, String> sync() {
        return client().standalone().sync();
    }

    /** A lease (SET NX PX with a random token) on this server. */
    public Lease lease(String key) {
        return client().lease(key);
    }

    /** Connects when needed; throws while the server is down or when it cannot be reached (then it is down). */
    private synchronized JobRunnerClient client() {
        if (isDown()) {
            throw new IllegalStateException("Redis " + name + " failed less than " + downTime.toSeconds() + "s ago; skipped until then");
        }
        if (client == null) {
            try {
                client = JobRunnerClient.connect(settings);
            } catch (RuntimeException e) {
                failed();
                throw e;
            }
        }
        return client;
    }

    /** Marks the server down for its down-time (after a command failed on it). */
    public synchronized void failed() {
        everDown = true;
        downUntilNanos = System.nanoTime() + downTime.toNanos();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    static String hostPort(String uri) {
        try {
            RedisURI parsed = RedisURI.create(uri);
            if (parsed.getSocket() != null) {
                return parsed.getSocket();
            }
            if (parsed.getHost() == null && !parsed.getSentinels().isEmpty()) {
                return parsed.getSentinelMasterId();
            }
            return parsed.getHost() + ":" + parsed.getPort();
        } catch (RuntimeException e) {
            return JobRunnerClient.maskPassword(uri);
        }
    }
}
