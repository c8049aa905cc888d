package io.jobrunner.runner;

import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueRegistry;
import io.jobrunner.client.RootCause;
import io.jobrunner.service.RedisErrorLog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * This runner's view of the ready registry ({@code jr:ready}: queue to version stamp): a cache with a bound
 * and a refresh, never a shadow truth.
 * <ol>
 *   <li>wake-ups update it at once ({@link #offer}), so a push reaches a slot without a Redis read; a wake-up
 *       published by the push script carries no stamp (a hint): its entry gets a local {@link Stamp#hint} of
 *       its own, unique like any other, so a slot that emptied the queue under an earlier one keeps it;</li>
 *   <li>it is re-read from Redis at most every refresh interval ({@link #refreshIfStale}), one read for the
 *       whole runner whatever its slot count, which repairs any lost wake-up;</li>
 *   <li>a queue found empty leaves it ({@link #forget}) only if its stamp is the one the slot read, so a
 *       wake-up that came in meanwhile is kept.</li>
 * </ol>
 * Every queue that becomes known is written to the {@link AdditionsLog}; every queue that leaves is told to the
 * {@link HintClaimGate}, which ends a backlog under its stamp.
 */
final class ReadyQueues {

    private record Entry(Stamp stamp, long seenNanos) {
    }

    private final QueueRegistry registry;
    private final long refreshNanos;
    private final AdditionsLog additions;
    private final HintClaimGate gate;
    private final Consumer<Set<QueueName>> onNewQueues;
    private final RedisErrorLog redisLog;
    private final ConcurrentHashMap<QueueName, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong hints = new AtomicLong();
    private volatile long lastRefreshNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile boolean lastRefreshOk = true;
    private CompletableFuture<Void> inFlight;

    /**
     * @param onNewQueues called (off the caller's thread) with queues a refresh found that the cache lacked
     * @param redisLog    told when a refresh fails and when one works
     */
    ReadyQueues(QueueRegistry registry, Duration refreshInterval, AdditionsLog additions, HintClaimGate gate,
                Consumer<Set<QueueName>> onNewQueues, RedisErrorLog redisLog) {
        this.registry = registry;
        this.refreshNanos = refreshInterval.toNanos();
        this.additions = additions;
        this.gate = gate;
        this.onNewQueues = onNewQueues;
        this.redisLog = redisLog;
    }

    /** The queues known now (a copy). */
    List<QueueName> queues() {
        return new ArrayList<>(entries.keySet());
    }

    /** The queue's stamp (a hint's local one when it is known from a hint), or null when it is unknown. */
    Stamp stamp(QueueName queue) {
        Entry e = entries.get(queue);
        return e == null ? null : e.stamp();
    }

    /**
     * A wake-up: the queue became ready with this registry stamp (null for a hint, which gets a fresh local
     * stamp). It replaces the stamp known before, so a slot that read the older one and finds the queue empty
     * does not drop it here. Returns true when the cache changed.
     */
    boolean offer(QueueName queue, String registryStamp) {
        Stamp s = registryStamp != null ? Stamp.registry(registryStamp) : Stamp.hint(hints.incrementAndGet());
        Entry old = entries.put(queue, new Entry(s, System.nanoTime()));
        if (old == null) {
            additions.add(queue);
        }
        return old == null || !old.stamp().equals(s);
    }

    /** The queue was found empty under {@code stamp}: drop it unless a newer stamp came in. */
    void forget(QueueName queue, Stamp stamp) {
        boolean[] removed = new boolean[1];
        entries.computeIfPresent(queue, (q, e) -> {
            removed[0] = e.stamp().equals(stamp);
            return removed[0] ? null : e;
        });
        if (removed[0]) {
            gate.left(queue, stamp);
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
                redisLog.failed("could not read the ready registry (retrying within {} ms): {}", refreshNanos / 1_000_000,
                        RootCause.message(e));
            } else {
                redisLog.succeeded();
            }
        });
        return inFlight;
    }

    private void merge(Map<QueueName, String> found, long startedNanos) {
        Set<QueueName> added = new HashSet<>();
        for (Map.Entry<QueueName, String> e : found.entrySet()) {
            Stamp stamp = Stamp.registry(e.getValue());
            // Atomic per queue: a wake-up that came in after this read started keeps its stamp.
            entries.compute(e.getKey(), (q, old) -> {
                if (old == null) {
                    added.add(q);
                    return new Entry(stamp, startedNanos);
                }
                return !old.stamp().equals(stamp) && old.seenNanos() < startedNanos ? new Entry(stamp, startedNanos) : old;
            });
        }
        // Gone from Redis: drop, unless a wake-up put it here after this read started.
        for (Map.Entry<QueueName, Entry> e : entries.entrySet()) {
            if (!found.containsKey(e.getKey()) && e.getValue().seenNanos() < startedNanos && entries.remove(e.getKey(), e.getValue())) {
                gate.left(e.getKey(), e.getValue().stamp());
            }
        }
        added.forEach(additions::add);
        if (!added.isEmpty()) {
            onNewQueues.accept(added);
        }
    }
}
