package io.jobrunner.mediawiki;

import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ready map {@code jobqueue:aggregator:h-ready-queues:v2}, in the PHP chron's exact format: field
 * {@code rawurlencode(type)/rawurlencode(domain)} to UNIX seconds, plus {@code _epoch} (start of the pass that
 * wrote it). Written whole each pass through a temp key of jobrunner's own and an atomic swap, so a reader never
 * sees it half-written or without {@code _epoch}; never through PHP's {@code :temp} key.
 */
public final class MwReadyMap {

    public static final String KEY = "jobqueue:aggregator:h-ready-queues:v2";
    public static final String EPOCH = "_epoch";

    private final String tempKey;

    public MwReadyMap(String keyPrefix) {
        this.tempKey = KEY + ":temp:" + keyPrefix;
    }

    /** The map as read: its fields (with {@code _epoch}) as stored. */
    public static Map<String, String> read(RedisCommands<String, String> redis) {
        return redis.hgetall(KEY);
    }

    /** Replaces the map in one MULTI/EXEC: DEL temp, HSET temp (all fields), RENAME temp over the map. */
    public void replace(RedisCommands<String, String> redis, Map<String, Long> readyFields, long epoch) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EPOCH, Long.toString(epoch));
        readyFields.forEach((field, stamp) -> fields.put(field, Long.toString(stamp)));
        synchronized (redis) {
            redis.multi();
            redis.del(tempKey);
            redis.hset(tempKey, fields);
            redis.rename(tempKey, KEY);
            TransactionResult result = redis.exec();
            if (result.wasDiscarded()) {
                throw new IllegalStateException("the ready map swap was discarded");
            }
            for (Object r : result) {
                if (r instanceof Exception e) {
                    throw new IllegalStateException("the ready map swap failed: " + e.getMessage(), e);
                }
            }
        }
    }
}
