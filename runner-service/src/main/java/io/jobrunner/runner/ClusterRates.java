package io.jobrunner.runner;

import io.jobrunner.client.KeyLayout;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RateBuckets;
import io.jobrunner.client.RateLimit;
import io.jobrunner.client.RootCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cluster-wide rate limits ({@code rate-limits.per-type}, {@code per-domain}, {@code per-queue}): at most N jobs
 * started per period, across every runner, counted in Redis by Redis's clock.
 * <ol>
 *   <li>a queue's own limit ({@link #perQueue}) rides inside its claim script: no extra call; the claim takes no
 *       more jobs than the bucket has tokens and says when the next comes ({@link #queueWait});</li>
 *   <li>a type's or a domain's limit is a bucket shared by several queues, under its own hash tag, so it is taken
 *       in a call before the claim ({@link #take}: one per claim, not per job) and the tokens the claim did not use
 *       are given back ({@link #giveBack});</li>
 *   <li>a bucket found empty blocks the queues it covers until its next token ({@link #blocked}): pickers skip
 *       them, and an idle slot sleeps until the earliest of those tokens ({@link #nanosUntilNextToken}), no
 *       polling in between.</li>
 * </ol>
 * The limits must be the same in every runner's config: each runner spends the shared buckets by its own numbers.
 */
final class ClusterRates {

    private static final Logger log = LoggerFactory.getLogger(ClusterRates.class);

    private final RateRules perType;
    private final RateRules perDomain;
    private final RateRules perQueue;
    private final RateBuckets buckets;
    private final KeyLayout keys;
    private final long maxBlockNanos;
    private final Duration callTimeout;
    private final ConcurrentHashMap<String, Long> blockedUntil = new ConcurrentHashMap<>();

    ClusterRates(RateRules perType, RateRules perDomain, RateRules perQueue, RateBuckets buckets, KeyLayout keys,
                 Duration maxBlock, Duration callTimeout) {
        this.perType = perType;
        this.perDomain = perDomain;
        this.perQueue = perQueue;
        this.buckets = buckets;
        this.keys = keys;
        this.maxBlockNanos = maxBlock.toNanos();
        this.callTimeout = callTimeout;
    }

    static ClusterRates none() {
        return new ClusterRates(RateRules.NONE, RateRules.NONE, RateRules.NONE, null, null, Duration.ZERO, Duration.ZERO);
    }

    boolean active() {
        return !perType.isEmpty() || !perDomain.isEmpty() || !perQueue.isEmpty();
    }

    /** The queue's own limit (per type in each domain), taken inside its claim; null when it has none. */
    RateLimit perQueue(QueueName queue) {
        return perQueue.of(queue.type());
    }

    /** True when the queue's type or domain has a shared bucket, taken before its claims. */
    boolean shared(QueueName queue) {
        return perType.of(queue.type()) != null || perDomain.of(queue.domain()) != null;
    }

    /** True while a bucket of the queue is empty: pickers skip it until its next token. */
    boolean blocked(QueueName queue) {
        if (!active()) {
            return false;
        }
        long now = System.nanoTime();
        return blockedNow(perQueue.of(queue.type()) != null ? keys.queueRate(queue) : null, now)
                || blockedNow(perType.of(queue.type()) != null ? keys.typeRate(queue.type()) : null, now)
                || blockedNow(perDomain.of(queue.domain()) != null ? keys.domainRate(queue.domain()) : null, now);
    }

    /** The claim found the queue's own bucket empty with jobs left: skip it for {@code millis}. */
    void queueWait(QueueName queue, long millis) {
        if (millis > 0) {
            block(keys.queueRate(queue), TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    /**
     * Takes up to {@code wanted} tokens of the queue's type and domain buckets; returns how many both granted (0:
     * the queue is blocked until the next token). Tokens one bucket granted beyond the other's are given back.
     */
    int take(QueueName queue, int wanted) {
        RateLimit typeLimit = perType.of(queue.type());
        RateLimit domainLimit = perDomain.of(queue.domain());
        int granted = wanted;
        if (typeLimit != null) {
            granted = take(keys.typeRate(queue.type()), typeLimit, granted);
        }
        if (granted > 0 && domainLimit != null) {
            int domainGranted = take(keys.domainRate(queue.domain()), domainLimit, granted);
            if (typeLimit != null && domainGranted < granted) {
                send(keys.typeRate(queue.type()), typeLimit, granted - domainGranted);
            }
            granted = domainGranted;
        }
        return granted;
    }

    /** Gives back {@code unused} tokens of the queue's shared buckets that a claim took but did not use. */
    void giveBack(QueueName queue, int unused) {
        if (unused <= 0) {
            return;
        }
        RateLimit typeLimit = perType.of(queue.type());
        RateLimit domainLimit = perDomain.of(queue.domain());
        if (typeLimit != null) {
            send(keys.typeRate(queue.type()), typeLimit, unused);
        }
        if (domainLimit != null) {
            send(keys.domainRate(queue.domain()), domainLimit, unused);
        }
    }

    /**
     * Nanoseconds until the earliest blocked bucket has its next token (MAX_VALUE when none is blocked); blocks
     * that ended are dropped on the way, so a queue that left the ready set leaves no wake-up behind.
     */
    long nanosUntilNextToken() {
        if (blockedUntil.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (var e : blockedUntil.entrySet()) {
            long left = e.getValue() - now;
            if (left <= 0) {
                blockedUntil.remove(e.getKey(), e.getValue());
            } else {
                earliest = Math.min(earliest, left);
            }
        }
        return earliest;
    }

    private int take(String key, RateLimit limit, int wanted) {
        RateBuckets.Grant grant;
        try {
            grant = buckets.take(key, limit, wanted).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            log.warn("rate {}: taking tokens failed; not claiming for now: {}", key, RootCause.message(e));
            block(key, maxBlockNanos);
            return 0;
        }
        if (grant.granted() < wanted && grant.nextTokenInMillis() > 0) {
            block(key, TimeUnit.MILLISECONDS.toNanos(grant.nextTokenInMillis()));
        }
        return grant.granted();
    }

    private void block(String key, long nanos) {
        blockedUntil.put(key, System.nanoTime() + Math.min(nanos, maxBlockNanos));
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

    /** Not awaited: a lost give-back only makes the bucket stricter for one interval per token. */
    private void send(String key, RateLimit limit, int count) {
        buckets.giveBack(key, limit, Math.min(count, 1000)).whenComplete((moved, error) -> {
            if (error != null) {
                log.warn("rate {}: giving back {} unused token(s) failed: {}", key, count, RootCause.message(error));
            }
        });
    }
}
