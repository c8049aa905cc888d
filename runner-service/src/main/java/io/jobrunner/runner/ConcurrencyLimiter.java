package io.jobrunner.runner;

import io.jobrunner.client.QueueName;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces {@code concurrency.per-type} and {@code per-domain} across all groups of this runner: a slot
 * reserves its queue's type and domain before it claims or takes a buffered job ({@link #tryAcquire}) and
 * gives them back when the job is done ({@link #release}). A queue whose cluster-wide cap was found full lately
 * ({@link ClusterCaps#blocked}) is refused too, so pickers skip it. Without caps every call is a no-op.
 */
final class ConcurrencyLimiter {

    private final Caps perType;
    private final Caps perDomain;
    private final Runnable onSaturatedRelease;
    private final boolean active;
    private final ClusterCaps cluster;
    private final ConcurrentHashMap<String, AtomicInteger> types = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> domains = new ConcurrentHashMap<>();

    /** @param onSaturatedRelease called when a release frees a cap that was full (slots may be waiting for it) */
    ConcurrencyLimiter(Caps perType, Caps perDomain, Runnable onSaturatedRelease) {
        this(perType, perDomain, ClusterCaps.none(), onSaturatedRelease);
    }

    ConcurrencyLimiter(Caps perType, Caps perDomain, ClusterCaps cluster, Runnable onSaturatedRelease) {
        this.perType = perType;
        this.perDomain = perDomain;
        this.cluster = cluster;
        this.onSaturatedRelease = onSaturatedRelease;
        this.active = !perType.isEmpty() || !perDomain.isEmpty() || cluster.active();
    }

    boolean tryAcquire(QueueName queue) {
        if (!active) {
            return true;
        }
        if (cluster.blocked(queue)) {
            return false;
        }
        if (!acquire(types, queue.type(), perType.capOf(queue.type()))) {
            return false;
        }
        if (!acquire(domains, queue.domain(), perDomain.capOf(queue.domain()))) {
            release(types, queue.type(), perType.capOf(queue.type()));
            return false;
        }
        return true;
    }

    void release(QueueName queue) {
        if (!active) {
            return;
        }
        boolean wasFull = release(types, queue.type(), perType.capOf(queue.type()));
        wasFull |= release(domains, queue.domain(), perDomain.capOf(queue.domain()));
        if (wasFull) {
            onSaturatedRelease.run();
        }
    }

    /** How many more jobs of this queue may start now, after the caller's own reservation (MAX_VALUE: no cap). */
    int headroom(QueueName queue) {
        if (!active) {
            return Integer.MAX_VALUE;
        }
        return Math.min(left(types, queue.type(), perType.capOf(queue.type())),
                left(domains, queue.domain(), perDomain.capOf(queue.domain())));
    }

    private static int left(ConcurrentHashMap<String, AtomicInteger> counts, String name, int cap) {
        if (cap == 0) {
            return Integer.MAX_VALUE;
        }
        AtomicInteger c = counts.get(name);
        return Math.max(0, cap - (c == null ? 0 : c.get()));
    }

    private static boolean acquire(ConcurrentHashMap<String, AtomicInteger> counts, String name, int cap) {
        if (cap == 0) {
            return true;
        }
        AtomicInteger c = counts.computeIfAbsent(name, n -> new AtomicInteger());
        while (true) {
            int now = c.get();
            if (now >= cap) {
                return false;
            }
            if (c.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Returns true when the count was at the cap before this release. */
    private static boolean release(ConcurrentHashMap<String, AtomicInteger> counts, String name, int cap) {
        if (cap == 0) {
            return false;
        }
        AtomicInteger c = counts.get(name);
        return c != null && c.getAndDecrement() >= cap;
    }
}
