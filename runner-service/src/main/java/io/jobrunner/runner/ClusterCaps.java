package io.jobrunner.runner;

import io.jobrunner.client.ClusterPermits;
import io.jobrunner.client.JobIds;
import io.jobrunner.client.KeyLayout;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RootCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cluster-wide concurrency caps ({@code concurrency.cluster-per-type} and {@code cluster-per-domain}): at most N
 * jobs of a type, or of a domain, running at once across every runner, held in Redis as {@link ClusterPermits}.
 * <ol>
 *   <li>a slot takes a permit of its queue's type and domain caps before it claims one job of that queue
 *       ({@link #acquire}); refused, it gives up the claim, and pickers skip the queue's capped type or domain
 *       ({@link #blocked}) until a permit of this runner frees or the earliest held one would expire, at most one
 *       refresh interval: no polling in between;</li>
 *   <li>the permit lives as long as the claim: the heartbeat extends both together ({@link #extend}), and it is
 *       released when the claim ends ({@link #release}: ack, retry, abandon, give-back or claim lost). A runner
 *       that dies stops extending, so its permits expire with its claims: it leaks none;</li>
 *   <li>the per-runner caps ({@link ConcurrencyLimiter}) apply as well.</li>
 * </ol>
 * The caps must be the same in every runner's config: each runner enforces its own number on the shared permits.
 */
final class ClusterCaps {

    private static final Logger log = LoggerFactory.getLogger(ClusterCaps.class);

    /** The permits one claimed job holds: the same member in its type's and its domain's cap (null: no such cap). */
    record Permit(String typeKey, String domainKey, String member) {

        List<String> keys() {
            List<String> out = new ArrayList<>(2);
            if (typeKey != null) {
                out.add(typeKey);
            }
            if (domainKey != null) {
                out.add(domainKey);
            }
            return out;
        }
    }

    private final Caps perType;
    private final Caps perDomain;
    private final ClusterPermits permits;
    private final KeyLayout keys;
    private final long maxBlockNanos;
    private final Duration callTimeout;
    private final Runnable onRelease;
    private final ConcurrentHashMap<String, Long> blockedUntil = new ConcurrentHashMap<>();

    /** @param onRelease called after this runner released a permit of a cap it had found full (slots may wait for it) */
    ClusterCaps(Caps perType, Caps perDomain, ClusterPermits permits, KeyLayout keys, Duration maxBlock, Duration callTimeout,
                Runnable onRelease) {
        this.perType = perType;
        this.perDomain = perDomain;
        this.permits = permits;
        this.keys = keys;
        this.maxBlockNanos = maxBlock.toNanos();
        this.callTimeout = callTimeout;
        this.onRelease = onRelease;
    }

    static ClusterCaps none() {
        return new ClusterCaps(Caps.NONE, Caps.NONE, null, null, Duration.ZERO, Duration.ZERO, () -> { });
    }

    boolean active() {
        return !perType.isEmpty() || !perDomain.isEmpty();
    }

    /** True when the queue's type or domain has a cluster-wide cap. */
    boolean applies(QueueName queue) {
        return perType.capOf(queue.type()) > 0 || perDomain.capOf(queue.domain()) > 0;
    }

    /** True while a cap of the queue was found full lately: pickers skip it. */
    boolean blocked(QueueName queue) {
        if (!active()) {
            return false;
        }
        long now = System.nanoTime();
        return blockedNow(perType.capOf(queue.type()) > 0 ? keys.typePermits(queue.type()) : null, now)
                || blockedNow(perDomain.capOf(queue.domain()) > 0 ? keys.domainPermits(queue.domain()) : null, now);
    }

    /** Takes the queue's permits for a claim of {@code ttl}; null (and the cap marked full) when one is refused. */
    Permit acquire(QueueName queue, Duration ttl) {
        String member = JobIds.next();
        int typeCap = perType.capOf(queue.type());
        int domainCap = perDomain.capOf(queue.domain());
        String typeKey = typeCap > 0 ? keys.typePermits(queue.type()) : null;
        String domainKey = domainCap > 0 ? keys.domainPermits(queue.domain()) : null;
        if (typeKey != null && !take(typeKey, typeCap, member, ttl)) {
            return null;
        }
        if (domainKey != null && !take(domainKey, domainCap, member, ttl)) {
            if (typeKey != null) {
                send(permits.release(typeKey, List.of(member)), typeKey);
            }
            return null;
        }
        return new Permit(typeKey, domainKey, member);
    }

    /** Gives the permits back (not awaited: an unsent release only ends when the permit expires). */
    void release(Permit permit) {
        boolean wasFull = false;
        for (String key : permit.keys()) {
            send(permits.release(key, List.of(permit.member())), key);
            wasFull |= blockedUntil.remove(key) != null;
        }
        if (wasFull) {
            onRelease.run();
        }
    }

    /** Extends the permits with their claims (one call per cap); returns when done or failed, logging what was lost. */
    CompletableFuture<Void> extend(List<Permit> held, Duration ttl) {
        Map<String, List<String>> byKey = new HashMap<>();
        for (Permit p : held) {
            for (String key : p.keys()) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(p.member());
            }
        }
        List<CompletableFuture<?>> calls = new ArrayList<>(byKey.size());
        byKey.forEach((key, members) -> calls.add(permits.extend(key, ttl, members).handle((lost, error) -> {
            if (error != null) {
                log.warn("cap {}: extending {} permit(s) failed (retrying next period): {}", key, members.size(), RootCause.message(error));
            } else if (!lost.isEmpty()) {
                log.warn("cap {}: {} permit(s) expired before their heartbeat; their jobs run on uncounted", key, lost.size());
            }
            return null;
        })));
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }

    private boolean take(String key, int cap, String member, Duration ttl) {
        ClusterPermits.Grant grant;
        try {
            grant = permits.take(key, cap, member, ttl).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.warn("cap {}: taking a permit failed; not claiming for now: {}", key, RootCause.message(e));
            block(key, maxBlockNanos);
            return false;
        }
        if (!grant.granted()) {
            block(key, Math.min(maxBlockNanos, TimeUnit.MILLISECONDS.toNanos(grant.retryInMillis())));
        }
        return grant.granted();
    }

    private void block(String key, long nanos) {
        blockedUntil.put(key, System.nanoTime() + nanos);
    }

    private boolean blockedNow(String key, long now) {
        if (key == null) {
            return false;
        }
        Long until = blockedUntil.get(key);
        if (until == null) {
            return false;
        }
        if (until - now <= 0) {
            blockedUntil.remove(key, until);
            return false;
        }
        return true;
    }

    private static void send(CompletableFuture<Long> call, String key) {
        call.whenComplete((n, error) -> {
            if (error != null) {
                log.warn("cap {}: releasing a permit failed; it frees when it expires: {}", key, RootCause.message(error));
            }
        });
    }
}
