package io.jobrunner.service;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import io.jobrunner.client.ErrorCode;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.RootCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a daemon (runner, chron) starts while Redis is not there yet (a compose or Kubernetes start order, a Redis
 * restart during a deploy): it waits instead of exiting.
 * <ol>
 *   <li>connects, then starts the daemon on the client; a failure that means "Redis is not reachable or not ready"
 *       ({@link #isRedisNotReady}: unreachable, timed out, loading its data) closes the client and tries again after
 *       a backoff ({@code jobrunner.redis.startup-wait}: from {@code initial}, doubling, at most {@code max});
 *       any other failure (a config error, a port taken, a wrong password) is thrown at once;</li>
 *   <li>logs the first failure, then at most one line per {@code log-every} (how long, how many attempts, the last
 *       reason), and one line when Redis answered;</li>
 *   <li>meanwhile serves the daemon's HTTP endpoint: {@code /health} 503, {@code /status} says it waits for Redis
 *       and why ({@link Waiting}); the endpoint is closed before the daemon starts its own;</li>
 *   <li>returns null when a stop is requested while waiting.</li>
 * </ol>
 * One-shot commands do not use this: they fail fast (exit 1) when Redis is not there.
 */
public final class RedisWait {

    private static final Logger log = LoggerFactory.getLogger(RedisWait.class);
    private static final String PATH = "jobrunner.redis.startup-wait";

    /** {@code jobrunner.redis.startup-wait { initial, max, log-every }}. */
    public record Settings(Duration initial, Duration max, Duration logEvery) {

        public static Settings from(Config root) {
            return new Settings(Durations.positive(root, PATH + ".initial"), Durations.positive(root, PATH + ".max"),
                    Durations.positive(root, PATH + ".log-every"));
        }
    }

    /** What {@code /status} shows while the daemon waits. */
    public record Waiting(String state, String redis, String since, long attempts, String reason) {
    }

    /** The connected client and what was started on it. */
    public record Started<T>(JobRunnerClient client, T daemon) {
    }

    private final Settings settings;
    private final String daemon;
    private final String maskedUri;
    private final HttpEndpoint.Settings http;
    private final MetricRegistry metrics;
    private volatile Waiting waiting;

    public RedisWait(Settings settings, String daemon, String uri, HttpEndpoint.Settings http, MetricRegistry metrics) {
        this.settings = settings;
        this.daemon = daemon;
        this.maskedUri = JobRunnerClient.maskPassword(uri);
        this.http = http;
        this.metrics = metrics;
    }

    /**
     * Connects with {@code connect} and starts the daemon with {@code start}, waiting for Redis as long as it takes.
     * {@code start} must clean up what it started when it throws. Returns null when {@code stopRequest} completed.
     */
    public <T> Started<T> await(Supplier<JobRunnerClient> connect, Function<JobRunnerClient, T> start,
                                CompletableFuture<?> stopRequest) throws InterruptedException {
        long firstNanos = System.nanoTime();
        long lastLogNanos = 0;
        long attempts = 0;
        long delayMs = settings.initial().toMillis();
        HttpEndpoint endpoint = null;
        try {
            while (!stopRequest.isDone()) {
                attempts++;
                RuntimeException failure;
                JobRunnerClient client = null;
                try {
                    client = connect.get();
                    closeQuietly(endpoint); // the daemon binds its own endpoint
                    endpoint = null;
                    T daemonStarted = start.apply(client);
                    if (attempts > 1) {
                        log.info("{}: Redis at {} answered after {} attempt(s) in {} s; started", daemon, maskedUri, attempts,
                                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - firstNanos));
                    }
                    return new Started<>(client, daemonStarted);
                } catch (RuntimeException e) {
                    failure = e;
                    if (client != null) {
                        client.close();
                    }
                }
                if (!isRedisNotReady(failure)) {
                    throw failure;
                }
                String reason = JobRunnerClient.maskPassword(RootCause.withContext(failure));
                waiting = new Waiting("waiting-for-redis", maskedUri, Instant.now().minusNanos(System.nanoTime() - firstNanos).toString(),
                        attempts, reason);
                long now = System.nanoTime();
                if (attempts == 1 || now - lastLogNanos >= settings.logEvery().toNanos()) {
                    lastLogNanos = now;
                    log.warn("{}: waiting for Redis at {} ({} attempt(s) in {} s, next in at most {}): {}", daemon, maskedUri, attempts,
                            TimeUnit.NANOSECONDS.toSeconds(now - firstNanos), settings.max(), reason);
                }
                if (endpoint == null) {
                    // live (it is waiting as it should), not ready (nothing to do without Redis)
                    endpoint = HttpEndpoint.start(http, daemon, new HttpEndpoint.Content(metrics, java.util.List.of(), () -> waiting,
                            () -> ProbeResult.of("state", true, "waiting for Redis"),
                            () -> ProbeResult.of("redis", false, "waiting for Redis at " + maskedUri + ": " + waiting.reason())));
                }
                try {
                    stopRequest.get(delayMs, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // waited the delay (or a stop request that failed: still a stop request, seen by the loop)
                }
                delayMs = Math.min(settings.max().toMillis(), delayMs * 2);
            }
            log.info("{}: stop requested while waiting for Redis at {}", daemon, maskedUri);
            return null;
        } finally {
            closeQuietly(endpoint);
        }
    }

    /** What {@code /status} shows while waiting (null before the first failed attempt). */
    public Waiting waiting() {
        return waiting;
    }

    /**
     * True for a failure that waiting cures: Redis unreachable or timing out, or answering that it is not ready
     * ({@code LOADING} its data after a restart, {@code BUSY} with a script, {@code MASTERDOWN}, {@code TRYAGAIN}).
     */
    public static boolean isRedisNotReady(Throwable failure) {
        JobQueueException e = ErrorCode.toException(failure, "start", null);
        if (e.code() == ErrorCode.REDIS_UNAVAILABLE || e.code() == ErrorCode.REDIS_TIMEOUT) {
            return true;
        }
        String message = RootCause.withContext(failure);
        return e.code() == ErrorCode.REDIS_ERROR && (message.startsWith("LOADING") || message.startsWith("BUSY")
                || message.startsWith("MASTERDOWN") || message.startsWith("TRYAGAIN") || message.contains("Connection refused")
                || message.contains("Unable to connect"));
    }


    private static void closeQuietly(HttpEndpoint endpoint) {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
