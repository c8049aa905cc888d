package io.jobrunner.runner;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts runs that ended, per job type, between two flushes into the Redis history
 * ({@link io.jobrunner.client.ThroughputHistory}): the presence heartbeat drains it, so Redis sees a few calls a
 * minute per type however many jobs run.
 */
final class ThroughputRecorder {

    /** Counts of one type: [processed, failed]. */
    private final ConcurrentHashMap<String, AtomicLongArray> counts = new ConcurrentHashMap<>();

    /** A run of {@code type} ended; {@code failed} when it did not succeed. */
    void ended(String type, boolean failed) {
        AtomicLongArray c = counts.computeIfAbsent(type, t -> new AtomicLongArray(2));
        c.incrementAndGet(0);
        if (failed) {
            c.incrementAndGet(1);
        }
    }

    /** Takes the counts since the last drain: type to {processed, failed}; types with nothing new are left out. */
    Map<String, long[]> drain() {
        Map<String, long[]> out = new HashMap<>();
        counts.forEach((type, c) -> {
            long processed = c.getAndSet(0, 0);
            long failed = c.getAndSet(1, 0);
            if (processed > 0 || failed > 0) {
                out.put(type, new long[]{processed, failed});
            }
        });
        return out;
    }

    /** Gives back counts a failed flush could not write, so the next flush carries them. */
    void restore(String type, long[] c) {
        AtomicLongArray a = counts.computeIfAbsent(type, t -> new AtomicLongArray(2));
        a.addAndGet(0, c[0]);
        a.addAndGet(1, c[1]);
    }
}
