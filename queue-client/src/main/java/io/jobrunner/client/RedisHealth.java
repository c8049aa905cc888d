package io.jobrunner.client;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What a process last heard from Redis, fed by every script call of its client ({@link ScriptRunner}) and by the
 * daemons' other calls ({@link #record}): for {@code /health}, {@code /status} and the {@code redis.*} gauges.
 * <ul>
 *   <li>{@link #reachable()}: false while the latest call failed for the connection (unreachable, timed out);</li>
 *   <li>{@link #refusingWritesForMemory()}: true while Redis answered {@code OOM} (at {@code maxmemory} with
 *       {@code noeviction}) within the last {@link #OOM_WINDOW_MS} ms: reads, deletes and the scripts allowed at
 *       maxmemory go on meanwhile, so a success does not end it.</li>
 * </ul>
 */
public final class RedisHealth {

    /** How long one OOM answer counts as "Redis refuses writes for memory". */
    public static final long OOM_WINDOW_MS = 10_000;

    /** What {@code /status} shows. */
    public record Snapshot(boolean reachable, boolean refusingWritesForMemory, String lastError, String lastErrorAt) {
    }

    private volatile long lastOkNanos;
    private volatile long lastDownNanos;
    private volatile long lastOomNanos;
    private volatile boolean everOom;
    private volatile String lastError;
    private volatile long lastErrorMillis;

    /** Records how one call ended ({@code failure} null: it succeeded). */
    public void record(Throwable failure) {
        long now = System.nanoTime();
        if (failure == null) {
            lastOkNanos = now;
            return;
        }
        JobQueueException e = ErrorCode.toException(failure, "call", null);
        lastError = e.getMessage();
        lastErrorMillis = System.currentTimeMillis();
        if (e.code() == ErrorCode.REDIS_UNAVAILABLE || e.code() == ErrorCode.REDIS_TIMEOUT) {
            lastDownNanos = now;
        } else if (isOutOfMemory(e)) {
            lastOomNanos = now;
            everOom = true;
        }
    }

    /** True when Redis refused a write for memory ({@code OOM command not allowed when used memory > 'maxmemory'}). */
    public static boolean isOutOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("OOM ")) {
                return true;
            }
        }
        return false;
    }

    public boolean reachable() {
        return lastDownNanos == 0 || lastOkNanos - lastDownNanos > 0 || lastOomNanos - lastDownNanos > 0;
    }

    public boolean refusingWritesForMemory() {
        return everOom && System.nanoTime() - lastOomNanos < TimeUnit.MILLISECONDS.toNanos(OOM_WINDOW_MS);
    }

    public Snapshot snapshot() {
        long at = lastErrorMillis;
        return new Snapshot(reachable(), refusingWritesForMemory(), lastError, at == 0 ? null : Instant.ofEpochMilli(at).toString());
    }
}
