package io.jobrunner.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * Redis memory per job of one pass, as the memory and scale scenarios measure it: {@link #start} before the jobs
 * are pushed, {@link #perJob} after. On a Redis the bench started itself (empty but for the pass), the figure is
 * the {@code used_memory} delta, allocator overhead included. On someone else's Redis ({@code --redis}) that delta
 * also holds whatever the server did meanwhile (other clients, lazy frees of the previous pass), so the figure is
 * the sum of {@code MEMORY USAGE ... SAMPLES 0} (exact) over the pass's own keys; both are kept.
 */
public final class MemoryMeter {

    /**
     * @param bytesPerJob      the figure reported: the used_memory delta on the bench's own Redis, else the keys' sum
     * @param usedMemoryPerJob {@code used_memory} delta per job
     * @param keysPerJob       sum of {@code MEMORY USAGE} of the pass's keys per job
     */
    public record Reading(double bytesPerJob, double usedMemoryPerJob, double keysPerJob) {
    }

    private final BenchRedis redis;
    private final long usedBefore;

    private MemoryMeter(BenchRedis redis, long usedBefore) {
        this.redis = redis;
        this.usedBefore = usedBefore;
    }

    public static MemoryMeter start(BenchRedis redis) {
        return new MemoryMeter(redis, redis.info("memory").asLong("used_memory"));
    }

    /** Memory per job now, for {@code jobs} jobs stored under {@code prefix}. */
    public Reading perJob(String prefix, long jobs) {
        long after = redis.info("memory").asLong("used_memory");
        double usedMemory = (after - usedBefore) / (double) jobs;
        double ofKeys = keysBytes(redis.admin(), prefix) / (double) jobs;
        return new Reading(redis.owned() ? usedMemory : ofKeys, usedMemory, ofKeys);
    }

    /** How the reported figure was taken, for the table's notes. */
    public static String how(BenchRedis redis) {
        return redis.owned() ? "used_memory delta" : "sum of MEMORY USAGE of the pass's keys (external Redis)";
    }

    /** The exact memory of every key of the pass ({@code MEMORY USAGE key SAMPLES 0}: every element counted). */
    static long keysBytes(RedisCommands<String, String> admin, String prefix) {
        long total = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = admin.scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(1000));
            for (String key : page.getKeys()) {
                Long bytes = admin.dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0));
                total += bytes == null ? 0 : bytes;
            }
            cursor = page;
        } while (!cursor.isFinished());
        return total;
    }
}
