package io.jobrunner.client;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Permits of cluster-wide concurrency caps: at most N jobs of a type (or of a domain) running at once across
 * every runner. A permit is a member of the cap's zset ({@link KeyLayout#typePermits}, {@link KeyLayout#domainPermits})
 * scored with its expiry, which is the claim deadline of the job it covers:
 * <ol>
 *   <li>{@link #take} adds one if fewer than N live permits are held ({@code permit-take.lua}, which first purges
 *       expired ones, so a dead runner's permits come back when its claims would have expired);</li>
 *   <li>{@link #extend} moves the expiry with the claim's heartbeat ({@code permit-extend.lua}; a permit that
 *       expired meanwhile is reported lost, never re-created);</li>
 *   <li>{@link #release} removes it when the job ends (ack, release, give-back, lost claim).</li>
 * </ol>
 * Each call touches one cap's keys only (its own hash tag), so it is valid on Redis Cluster.
 */
public final class ClusterPermits {

    /** The answer to a take: granted, or not and when the earliest held permit would expire (ms). */
    public record Grant(boolean granted, long retryInMillis) {
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final QueueScripts scripts;

    ClusterPermits(RedisClusterAsyncCommands<String, String> redis, QueueScripts scripts) {
        this.redis = redis;
        this.scripts = scripts;
    }

    public CompletableFuture<Grant> take(String key, int cap, String member, Duration ttl) {
        return scripts.permitTake(key, cap, member, ttl.toMillis()).thenApply(r -> new Grant(r.get(0) == 1L, r.get(1)));
    }

    /** Extends the permits; returns the members no longer held. */
    public CompletableFuture<List<String>> extend(String key, Duration ttl, List<String> members) {
        return scripts.permitExtend(key, ttl.toMillis(), members);
    }

    public CompletableFuture<Long> release(String key, List<String> members) {
        return redis.zrem(key, members.toArray(String[]::new)).toCompletableFuture();
    }

    /** Live and expired-but-not-yet-purged permits of a cap (for status and tests). */
    public CompletableFuture<Long> held(String key) {
        return redis.zcard(key).toCompletableFuture();
    }
}
