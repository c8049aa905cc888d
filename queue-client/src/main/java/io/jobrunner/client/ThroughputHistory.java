package io.jobrunner.client;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Processed and failed run counts per job type, kept in Redis so charts survive restarts:
 * <ol>
 *   <li>{@link #count}: adds counts to the type's per-minute ring ({@code history-count.lua}, the minute is the
 *       server's) and all-time totals; runners call it a few times a minute per type, not per job;</li>
 *   <li>{@link #read}: the last minutes of one or more types, summed, oldest first, with the totals.</li>
 * </ol>
 */
public final class ThroughputHistory {

    /** How many minutes each type keeps: 24 hours. */
    public static final int MINUTES_KEPT = 24 * 60;

    /**
     * Counts per minute, oldest first; {@code minutes[i]} is an epoch minute.
     *
     * @param totalProcessed all-time processed runs (since the history key was created)
     * @param totalFailed    all-time failed runs
     */
    public record Series(long[] minutes, long[] processed, long[] failed, long totalProcessed, long totalFailed) {
    }

    private final OperatorScripts scripts;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyLayout keys;
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    ThroughputHistory(OperatorScripts scripts, RedisClusterAsyncCommands<String, String> redis, KeyLayout keys) {
        this.scripts = scripts;
        this.redis = redis;
        this.keys = keys;
    }

    /** Adds {@code processed} runs that ended, {@code failed} of them without success, to this minute of {@code type}. */
    public CompletableFuture<Void> count(String type, long processed, long failed) {
        CompletableFuture<Long> counted = scripts.historyCount(type, processed, failed, MINUTES_KEPT);
        if (announced.add(type)) {
            redis.sadd(keys.historyTypes(), type);
        }
        return counted.thenApply(m -> null);
    }

    /** The job types that have a history. */
    public Set<String> types() {
        return Futures.join(redis.smembers(keys.historyTypes()).toCompletableFuture(), "history types");
    }

    /** The last {@code minutes} (1 to {@link #MINUTES_KEPT}) of the given types, summed; the current minute last. */
    public Series read(Collection<String> types, int minutes) {
        if (minutes < 1 || minutes > MINUTES_KEPT) {
            throw new IllegalArgumentException("history minutes must be 1 to " + MINUTES_KEPT + ", was " + minutes);
        }
        RedisFuture<List<String>> time = redis.time();
        List<RedisFuture<Map<String, String>>> hashes = new ArrayList<>();
        for (String type : types) {
            hashes.add(redis.hgetall(keys.history(type)));
        }
        long now = Long.parseLong(Futures.join(time.toCompletableFuture(), "history").get(0)) / 60;
        long first = now - minutes + 1;
        long[] at = new long[minutes];
        long[] processed = new long[minutes];
        long[] failed = new long[minutes];
        for (int i = 0; i < minutes; i++) {
            at[i] = first + i;
        }
        long totalProcessed = 0;
        long totalFailed = 0;
        for (RedisFuture<Map<String, String>> f : hashes) {
            Map<String, String> h = Futures.join(f.toCompletableFuture(), "history");
            totalProcessed += number(h.get("total:p"));
            totalFailed += number(h.get("total:f"));
            for (int i = 0; i < minutes; i++) {
                long slot = at[i] % MINUTES_KEPT;
                if (number(h.get("m:" + slot)) == at[i]) {
                    processed[i] += number(h.get("p:" + slot));
                    failed[i] += number(h.get("f:" + slot));
                }
            }
        }
        return new Series(at, processed, failed, totalProcessed, totalFailed);
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }
}
