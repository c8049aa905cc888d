package io.jobrunner.client;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of queue-client: one Redis connection per process, shared by every thread (Lettuce
 * connections are thread-safe and pipeline concurrent commands), and the APIs built on it.
 * <ol>
 *   <li>connects and fails fast, with the URI (password masked) in the message, when Redis is not there;</li>
 *   <li>rejects commands at once while disconnected instead of queueing them, so callers see a clear error
 *       ({@link ErrorCode#REDIS_UNAVAILABLE}); a command already sent when the connection drops is re-sent on
 *       reconnect or fails with {@link ErrorCode#REDIS_TIMEOUT} after the command timeout, never hangs. A re-sent
 *       script keeps the at-least-once contract (a re-sent push reports its own job as a duplicate, a re-sent ack
 *       or release reports the claim stale, a re-sent claim returns the jobs of its first run, a re-sent lease
 *       acquire reports the lease taken);</li>
 *   <li>hands out {@link JobProducer}, {@link JobConsumer}, {@link QueueRegistry}, {@link QueueMaintenance},
 *       {@link QueueInspector}, {@link Schedules}, {@link JobOperations}, {@link Presence}, {@link ThroughputHistory}
 *       and {@link Lease}s, all sharing the connection, the clock and the {@link JobTracing}. Stored times and the
 *       "now" they are compared with are Redis's ({@code TIME} inside the scripts); the clock given here only turns a
 *       producer's release time into a delay and stamps {@code enqueuedAt}.</li>
 * </ol>
 * <pre>{@code
 * try (JobRunnerClient client = JobRunnerClient.builder().redis("redis://127.0.0.1:6379").connect()) {
 *     client.producer().push(Job.of("sendMail", Map.of("to", "a@example.org")));
 * }
 * }</pre>
 */
public final class JobRunnerClient implements AutoCloseable {

    private final ClientSettings settings;
    private final Clock clock;
    /** Longest wait between two reconnect attempts. */
    static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(2);

    private final RedisClient redisClient;
    private final ClientResources resources;
    private final StatefulRedisConnection<String, String> connection;
    private final KeyLayout keys;
    private final QueueScripts scripts;
    private final QueueRegistry registry;
    private final PushCoalescer pushes;
    private final OperatorScripts operatorScripts;
    private final ThroughputHistory history;
    private final JobTracing tracing;
    private final RedisHealth health = new RedisHealth();
    private final StartMarks starts;

    private JobRunnerClient(ClientSettings settings, Clock clock, JobTracing tracing, RedisClient redisClient, ClientResources resources,
                            StatefulRedisConnection<String, String> connection) {
        this.resources = resources;
        this.settings = settings;
        this.clock = clock;
        this.tracing = tracing;
        this.redisClient = redisClient;
        this.connection = connection;
        this.keys = new KeyLayout(settings.prefix());
        ScriptRunner runner = new ScriptRunner(connection.async(), health);
        this.scripts = new QueueScripts(runner, keys);
        this.registry = new QueueRegistry(connection.async(), scripts, keys);
        this.pushes = new PushCoalescer(scripts, registry, settings.batchSize());
        this.operatorScripts = new OperatorScripts(runner, keys);
        this.history = new ThroughputHistory(operatorScripts, connection.async(), keys);
        this.starts = new StartMarks(scripts);
    }

    public static JobRunnerClient connect(ClientSettings settings) {
        return connect(settings, Clock.systemUTC());
    }

    public static JobRunnerClient connect(ClientSettings settings, Clock clock) {
        return connect(settings, clock, JobTracing.detect());
    }

    /** A client built step by step: {@code JobRunnerClient.builder().redis(uri).prefix("jr").connect()}. */
    public static JobRunnerClientBuilder builder() {
        return new JobRunnerClientBuilder();
    }

    static JobRunnerClient connect(ClientSettings settings, Clock clock, JobTracing tracing) {
        RedisURI uri;
        try {
            uri = RedisURI.create(settings.uri());
        } catch (IllegalArgumentException e) {
            // the parser's message may quote the URI, password and all
            throw new IllegalArgumentException("redis uri '" + maskPassword(settings.uri()) + "' is not valid: " + maskPassword(String.valueOf(e.getMessage())));
        }
        uri.setTimeout(settings.commandTimeout());
        // Lettuce's default reconnect delay doubles to 30 s: after a long outage a process would then wait up to 30 s
        // more once Redis is back. Capped at 2 s, a daemon reconnects within 2 s of Redis's return.
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).build())
                .build());
        try {
            return new JobRunnerClient(settings, clock, tracing, client, resources, client.connect());
        } catch (RuntimeException e) {
            client.shutdown(0, 1, TimeUnit.SECONDS);
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            if (ErrorCode.isAuthFailure(e)) {
                throw new JobQueueException(ErrorCode.REDIS_AUTH, "connect", null,
                        "Redis at " + maskPassword(settings.uri()) + " refused the credentials: " + RootCause.message(e), e);
            }
            throw new JobQueueException(ErrorCode.REDIS_UNAVAILABLE, "connect", null,
                    "cannot connect to Redis at " + maskPassword(settings.uri()) + ": " + RootCause.message(e), e);
        }
    }

    public ClientSettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    /** How pushes and runs are traced ({@link JobTracing#detect()} unless the builder was given one). */
    public JobTracing tracing() {
        return tracing;
    }

    /** What this client last heard from Redis (every script call feeds it). */
    public RedisHealth health() {
        return health;
    }

    public KeyLayout keys() {
        return keys;
    }

    public JobProducer producer() {
        return new JobProducer(pushes, settings, tracing, clock);
    }

    public JobConsumer consumer() {
        return new JobConsumer(scripts, registry, starts, settings.commandTimeout().multipliedBy(2));
    }

    public QueueRegistry registry() {
        return registry;
    }

    public QueueMaintenance maintenance() {
        return new QueueMaintenance(scripts, registry, settings.batchSize());
    }

    public QueueInspector inspector() {
        return new QueueInspector(connection.async(), keys, registry);
    }

    /** Recurring schedules: definitions, pauses, and the chron's firing of ticks. */
    public Schedules schedules() {
        return new Schedules(connection.async(), scripts, registry, keys, clock, settings.maxPayloadBytes());
    }

    /** Operators' actions on single jobs and queues (find, page, delete, run now, retry, cancel, pause). */
    public JobOperations operations() {
        return new JobOperations(operatorScripts, maintenance(), registry, inspector(), connection.async(), keys);
    }

    /** Every queue's counts, latency and paused flag. */
    public QueueOverview overview() {
        return new QueueOverview(inspector(), operations(), connection.async(), keys);
    }

    /** Retry or purge abandoned jobs by filter, or count them (dry run). */
    public AbandonedBulk abandonedBulk() {
        return new AbandonedBulk(inspector(), maintenance(), operatorScripts, connection.async(), keys, settings.batchSize());
    }

    /** The registry of live runners and chrons. */
    public Presence presence() {
        return new Presence(operatorScripts, keys);
    }

    /** Processed and failed counts per type and minute, kept in Redis. */
    public ThroughputHistory history() {
        return history;
    }

    /** Permits of cluster-wide concurrency caps. */
    public ClusterPermits permits() {
        return new ClusterPermits(connection.async(), scripts);
    }

    /** Buckets of rate limits shared by several queues (a type's, a domain's). */
    public RateBuckets rates() {
        return new RateBuckets(scripts);
    }

    /** A lease on {@code key} with a fresh token (not yet acquired). */
    public Lease lease(String key) {
        return new Lease(scripts, key, JobIds.next());
    }

    /** Synchronous commands on the shared connection, for operators' tools and tests. */
    public RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** Asynchronous commands on the shared connection. */
    public RedisAsyncCommands<String, String> redisAsync() {
        return connection.async();
    }

    /** A new pub/sub connection (subscriptions need their own); the caller closes it. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return redisClient.connectPubSub();
    }

    @Override
    public void close() {
        connection.close();
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** {@code redis://user:secret@host} becomes {@code redis://user:***@host}. */
    public static String maskPassword(String uri) {
        return uri == null ? null : uri.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@").replaceAll("(://)[^:/@]+@", "$1***@");
    }
}
