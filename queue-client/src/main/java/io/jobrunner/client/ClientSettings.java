package io.jobrunner.client;

import java.time.Duration;

/**
 * How a process talks to Redis.
 *
 * @param uri             {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS,
 *                        {@code redis-sentinel://} for Sentinel, {@code redis-cluster://host1:port1,host2:port2} for a
 *                        Redis Cluster ({@link RedisEndpoint})
 * @param prefix          key prefix ({@code jr})
 * @param connectTimeout  time allowed to open a connection
 * @param commandTimeout  time allowed for any one command or script
 * @param maxPayloadBytes cap on a job's serialized params
 * @param batchSize       most items one script call handles (push chunk, claim, chron batches)
 * @param partitions      how many partitions producers spread each type over ({@link Partitions#NONE} by default)
 */
public record ClientSettings(String uri, String prefix, Duration connectTimeout, Duration commandTimeout,
                             int maxPayloadBytes, int batchSize, Partitions partitions) {

    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    public static final String DEFAULT_PREFIX = "jr";
    public static final int DEFAULT_BATCH_SIZE = 500;
    /**
     * The most job JSON (in characters, about bytes) one push call carries, unless one job alone is larger: far
     * below Redis's limits on one request (512 MB a bulk string, 1 GB a client's query buffer).
     */
    public static final long MAX_PUSH_CALL_BYTES = 8L << 20;
    /** The largest {@code max-payload} allowed: a job of that size still goes in a push call of its own. */
    public static final int MAX_PAYLOAD_CAP = 16 << 20;

    public ClientSettings {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("redis uri is missing");
        }
        new KeyLayout(prefix); // validates the prefix
        if (connectTimeout.isNegative() || connectTimeout.isZero() || commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("redis timeouts must be positive");
        }
        if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_CAP) {
            throw new IllegalArgumentException("max payload must be 1 byte to 16MiB, was " + maxPayloadBytes);
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("batch size must be 1..1000, was " + batchSize);
        }
        if (partitions == null) {
            throw new IllegalArgumentException("partitions are missing (Partitions.NONE for none)");
        }
    }

    /** Settings without partitioned types. */
    public ClientSettings(String uri, String prefix, Duration connectTimeout, Duration commandTimeout,
                          int maxPayloadBytes, int batchSize) {
        this(uri, prefix, connectTimeout, commandTimeout, maxPayloadBytes, batchSize, Partitions.NONE);
    }

    public static ClientSettings of(String uri) {
        return new ClientSettings(uri, DEFAULT_PREFIX, Duration.ofSeconds(5), Duration.ofSeconds(10),
                JobValidator.DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_BATCH_SIZE);
    }

    public ClientSettings withPrefix(String newPrefix) {
        return new ClientSettings(uri, newPrefix, connectTimeout, commandTimeout, maxPayloadBytes, batchSize, partitions);
    }

    public ClientSettings withTimeouts(Duration connect, Duration command) {
        return new ClientSettings(uri, prefix, connect, command, maxPayloadBytes, batchSize, partitions);
    }

    public ClientSettings withMaxPayloadBytes(int bytes) {
        return new ClientSettings(uri, prefix, connectTimeout, commandTimeout, bytes, batchSize, partitions);
    }

    public ClientSettings withBatchSize(int size) {
        return new ClientSettings(uri, prefix, connectTimeout, commandTimeout, maxPayloadBytes, size, partitions);
    }

    /** The same with these partition counts (producers' spreading of types over partitions). */
    public ClientSettings withPartitions(Partitions newPartitions) {
        return new ClientSettings(uri, prefix, connectTimeout, commandTimeout, maxPayloadBytes, batchSize, newPartitions);
    }
}
