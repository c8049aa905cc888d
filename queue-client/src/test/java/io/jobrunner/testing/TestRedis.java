package io.jobrunner.testing;

import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link RedisExtension} gives a test: the shared Redis, a key prefix of the test's own, and clients
 * on that prefix that are closed when the test ends.
 */
public final class TestRedis implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final RunningRedis server;
    private final String prefix;
    private final List<JobRunnerClient> clients = new ArrayList<>();

    TestRedis(RunningRedis server) {
        this.server = server;
        this.prefix = "t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    public String uri() {
        return server.uri();
    }

    /** This test's own key prefix. */
    public String prefix() {
        return prefix;
    }

    public ClientSettings settings() {
        return ClientSettings.of(server.uri()).withPrefix(prefix);
    }

    /** A client on this test's prefix, closed after the test. */
    public synchronized JobRunnerClient client() {
        return client(Clock.systemUTC());
    }

    /** A client with an injected clock (expiry and leases without sleeps). */
    public synchronized JobRunnerClient client(Clock clock) {
        return track(JobRunnerClient.connect(settings(), clock));
    }

    public synchronized JobRunnerClient client(ClientSettings settings, Clock clock) {
        return track(JobRunnerClient.connect(settings, clock));
    }

    /** Every key under this test's prefix (SCAN), sorted: what a test wrote, e.g. to check nothing was. */
    public List<String> keys() {
        try (JobRunnerClient client = JobRunnerClient.connect(settings())) {
            List<String> out = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = client.redis().scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(1000));
                out.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            out.sort(null);
            return out;
        }
    }

    private JobRunnerClient track(JobRunnerClient client) {
        clients.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        clients.forEach(JobRunnerClient::close);
        clients.clear();
    }
}
