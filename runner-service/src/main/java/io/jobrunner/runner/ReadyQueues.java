package io.jobrunner.runner;

import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueRegistry;
import io.jobrunner.service.RedisErrorLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * This runner's view of the ready registry ({@code jr:ready}: queue to version stamp): a cache with a bound
 * and a refresh, never a shadow truth.
 * <ol>
 *   <li>wake-ups update it at once ({@link #offer}), so a push reaches a slot without a Redis read; a wake-up
 *       published by the push script carries no stamp (a hint): its entry gets a local stamp of its own
 *       ({@link #isHint}), unique like any other, so a slot that emptied the queue under an earlier one keeps
 *       it; a slot never removes a queue from Redis under a hint's stamp;</li>
 *   <li>it is re-read from Redis at most every refresh interval ({@link #refreshIfStale}), one read for the
 *       whole runner whatever its slot count, which repairs any lost wake-up;</li>
 *   <li>a queue found empty leaves it ({@link #forget}) only if its stamp is the one the slot read, so a
 *       wake-up that came in meanwhile is kept;</li>
 *   <li>one claim at a time per hint ({@link #startClaim}): a hint announces a push, usually of one job, so
 *       slots that come looking while a claim for it is on its way skip the queue instead of claiming it empty;
 *       the claim, when it sees more jobs left, wakes another slot as usual;</li>
 *   <li>{@link #additions()} counts queues that became known, and {@link #addedAt} remembers the last
 *       {@value #ADDITIONS_REMEMBERED} of them, so pickers add those to their sorted views instead of rebuilding
 *       them: with thousands of queues a rebuild costs milliseconds, and a queue becomes known again at every
 *       push that finds it empty.</li>
 * </ol>
 */
final class ReadyQueues {

    private static final Logger log = LoggerFactory.getLogger(ReadyQueues.class);

    /** Local stamps of wake-up hints start with this; Redis stamps (JobIds) never do. */
    private static final String HINT = "#hint-";
    private static final String BACKLOG = "backlog:";

    /** How many of the latest additions {@link #addedAt} remembers. */
    static final int ADDITIONS_REMEMBERED = 1024;

    private record Entry(String stamp, long seenNanos) {
    }

    private record Added(long seq, QueueName queue) {
    }

    private final QueueRegistry registry;
    private final long refreshNanos;
    private final Consumer<Set<QueueName>> onNewQueues;
    private final RedisErrorLog redisLog;
    private final ConcurrentHashMap<QueueName, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong additions = new AtomicLong();
    private final AtomicReferenceArray<Added> recentAdditions = new AtomicReferenceArray<>(ADDITIONS_REMEMBERED);
    private final AtomicLong hints = new AtomicLong();
    /** Queue to the hint stamp a claim of this runner is on its way under (or BACKLOG + stamp, see startClaim). */
    private final ConcurrentHashMap<QueueName, String> claimingHint = new ConcurrentHashMap<>();
    private volatile long lastRefreshNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile boolean lastRefreshOk = true;
    private CompletableFuture<Void> inFlight;

    /**
     * @param onNewQueues called (off the caller's thread) with queues a refresh found that the cache lacked
     * @param redisLog    told when a refresh fails and when one works
     */
    ReadyQueues(QueueRegistry registry, Duration refreshInterval, Consumer<Set<QueueName>> onNewQueues, RedisErrorLog redisLog) {
        this.registry = registry;
        this.refreshNanos = refreshInterval.toNanos();
        this.onNewQueues = onNewQueues;
        this.redisLog = redisLog;
    }

    /** How many times a queue became known. */
    long additions() {
        return additions.get();
    }

    /**
     * The queue that became known as addition number {@code seq} (1 is the first), or null when that is no longer
     * remembered or not written yet (the caller then reads {@link #queues()} instead).
     */
    QueueName addedAt(long seq) {
        Added a = recentAdditions.get((int) (seq % ADDITIONS_REMEMBERED));
        return a != null && a.seq() == seq ? a.queue() : null;
    }

    /** Records a queue that became known (after it is in {@code entries}). */
    private void recordAddition(QueueName queue) {
        long seq = additions.incrementAndGet();
        recentAdditions.set((int) (seq % ADDITIONS_REMEMBERED), new Added(seq, queue));
    }

    /** The queues known now (a copy). */
    List<QueueName> queues() {
        return new ArrayList<>(entries.keySet());
    }

    /** True for the local stamp of a wake-up hint: not in Redis, so never one to compare-and-delete with. */
    static boolean isHint(String stamp) {
        return stamp != null && stamp.startsWith(HINT);
    }

    /** The queue's stamp (a hint's local one when it is known from a hint), or null when it is unknown. */
    String stamp(QueueName queue) {
        Entry e = entries.get(queue);
        return e == null ? null : e.stamp();
    }

    /**
     * A wake-up: the queue became ready with this stamp (null for a hint, which gets a fresh local stamp). It
     * replaces the stamp known before, so a slot that read the older one and finds the queue empty does not
     * drop it here. Returns true when the cache changed.
     */
    boolean offer(QueueName queue, String stamp) {
        String s = stamp != null ? stamp : HINT + hints.incrementAndGet();
        Entry old = entries.put(queue, new Entry(s, System.nanoTime()));
        if (old == null) {
            recordAddition(queue);
        }
        return old == null || !old.stamp().equals(s);
    }

    /**
     * A slot is about to claim from the queue under {@code stamp}: false when that stamp is a hint and another
     * claim under it is on its way (the slot should pick something else), unless a claim under it already
     * found more jobs waiting (a backlog: claims then run side by side). Every true is followed by one
     * {@link #endClaim}.
     */
    boolean startClaim(QueueName queue, String stamp) {
        if (!isHint(stamp)) {
            return true;
        }
        boolean[] started = new boolean[1];
        claimingHint.compute(queue, (q, current) -> {
            if (current != null && current.equals(BACKLOG + stamp)) {
                started[0] = true;
                return current;
            }
            started[0] = !stamp.equals(current);
            return started[0] ? stamp : current;
        });
        return started[0];
    }

    /** The claim started under {@code stamp} has its answer: {@code remaining} jobs were left ready. */
    void endClaim(QueueName queue, String stamp, long remaining) {
        if (isHint(stamp)) {
            if (remaining > 0) {
                claimingHint.replace(queue, stamp, BACKLOG + stamp);
            } else {
                claimingHint.remove(queue, stamp);
            }
        }
    }

    /** The queue was found empty under {@code stamp}: drop it unless a newer stamp came in. */
    void forget(QueueName queue, String stamp) {
        boolean[] removed = new boolean[1];
        entries.computeIfPresent(queue, (q, e) -> {
            removed[0] = e.stamp().equals(stamp);
            return removed[0] ? null : e;
        });
        if (removed[0]) {
            claimingHint.remove(queue, BACKLOG + stamp);
        }
    }

    boolean lastRefreshOk() {
        return lastRefreshOk;
    }

    /** Starts a refresh if the last one is older than the refresh interval and none is running. */
    void refreshIfStale() {
        if (System.nanoTime() - lastRefreshNanos >= refreshNanos) {
            refresh();
        }
    }

    /** Re-reads the registry now (joins a refresh already running); completes when the cache is updated. */
    synchronized CompletableFuture<Void> refresh() {
        if (inFlight != null && !inFlight.isDone()) {
            return inFlight;
        }
        long started = System.nanoTime();
        lastRefreshNanos = started;
        CompletableFuture<Void> f = registry.readyQueues().thenAccept(found -> merge(found, started));
        inFlight = f.whenComplete((v, e) -> {
            lastRefreshOk = e == null;
            if (e != null) {
                redisLog.failed("could not read the ready registry (retrying within {} ms): {}", refreshNanos / 1_000_000, rootMessage(e));
            } else {
                redisLog.succeeded();
            }
        });
        return inFlight;
    }

    private void merge(Map<QueueName, String> found, long startedNanos) {
        Set<QueueName> added = new HashSet<>();
        for (Map.Entry<QueueName, String> e : found.entrySet()) {
            // Atomic per queue: a wake-up that came in after this read started keeps its stamp.
            entries.compute(e.getKey(), (q, old) -> {
                if (old == null) {
                    added.add(q);
                    return new Entry(e.getValue(), startedNanos);
                }
                return !old.stamp().equals(e.getValue()) && old.seenNanos() < startedNanos ? new Entry(e.getValue(), startedNanos) : old;
            });
        }
        // Gone from Redis: drop, unless a wake-up put it here after this read started.
        for (Map.Entry<QueueName, Entry> e : entries.entrySet()) {
            if (!found.containsKey(e.getKey()) && e.getValue().seenNanos() < startedNanos && entries.remove(e.getKey(), e.getValue())) {
                claimingHint.remove(e.getKey(), BACKLOG + e.getValue().stamp());
            }
        }
        added.forEach(this::recordAddition);
        if (!added.isEmpty()) {
            onNewQueues.accept(added);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
