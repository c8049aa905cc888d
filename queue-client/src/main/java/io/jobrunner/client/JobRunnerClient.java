package io.jobrunner.client;


import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Clock;
import java.time.Duration;

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
    static final Duration RECONNECT_DELAY_MAX = RedisConnection.RECONNECT_DELAY_MAX;

    private final RedisConnection connection;
    private final KeyLayout keys;
    private final QueueScripts scripts;
    private final QueueRegistry registry;
    private final PushCoalescer pushes;
    private final OperatorScripts operatorScripts;
    private final ThroughputHistory history;
    private final JobTracing tracing;
    private final RedisHealth health = new RedisHealth();
    private final StartMarks starts;
    private final Partitioner partitioner;

    private JobRunnerClient(ClientSettings settings, Clock clock, JobTracing tracing, RedisConnection connection) {
        this.settings = settings;
        this.clock = clock;
        this.tracing = tracing;
        this.connection = connection;
        this.keys = new KeyLayout(settings.prefix());
        ScriptRunner runner = new ScriptRunner(connection.async(), health);
        this.scripts = new QueueScripts(runner, keys, !connection.isCluster());
        this.registry = new QueueRegistry(connection.async(), scripts, keys, new KeyspaceScan(connection));
        this.pushes = new PushCoalescer(scripts, registry, settings.batchSize());
        this.operatorScripts = new OperatorScripts(runner, keys);
        this.history = new ThroughputHistory(operatorScripts, connection.async(), keys);
        this.starts = new StartMarks(scripts);
        this.partitioner = new Partitioner(settings.partitions(), connection::masters);
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
        RedisEndpoint endpoint = RedisEndpoint.parse(settings.uri());
        try {
            return new JobRunnerClient(settings, clock, tracing, RedisConnection.open(endpoint, settings));
        } catch (RuntimeException e) {
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
        return new JobProducer(pushes, settings, tracing, clock, partitioner, (queue, n, timeout) -> connection.waitForReplicas(keys.queue(queue).data(), n, timeout));
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
    public RedisClusterCommands<String, String> redis() {
        return connection.sync();
    }

    /** Asynchronous commands on the shared connection. */
    public RedisClusterAsyncCommands<String, String> redisAsync() {
        return connection.async();
    }

    /** A new pub/sub connection (subscriptions need their own); the caller closes it. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return connection.connectPubSub();
    }

    /**
     * The full single-server command set ({@code MULTI}, {@code SELECT}) for code on key layouts without hash tags
     * (MediaWiki mode); throws {@link IllegalStateException} on a Redis Cluster.
     */
    public io.lettuce.core.api.StatefulRedisConnection<String, String> standalone() {
        return connection.standalone();
    }

    /** How this client reaches Redis (standalone, Sentinel or Cluster). */
    public RedisEndpoint endpoint() {
        return connection.endpoint();
    }

    @Override
    public void close() {
        connection.close();
    }

    /** {@code redis://user:secret@host} becomes {@code redis://user:***@host}. */
    public static String maskPassword(String uri) {
        return uri == null ? null : uri.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@").replaceAll("(://)[^:/@]+@", "$1***@");
    }
}
