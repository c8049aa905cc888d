package io.jobrunner.chron;

import io.jobrunner.client.Lease;
import io.jobrunner.client.RedisHealth;
import io.jobrunner.service.LoopProgress;
import io.jobrunner.service.Durations;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Chron leadership: at most one chron process works at a time, through a lease in Redis
 * ({@code jr:chron:lease}, {@code SET NX PX} with a random token; renewed and released only while it holds our
 * token). Runs on its own thread ({@code chron-lease}):
 * <ol>
 *   <li>standby: tries to take the lease; when it is held, waits until it expires (its PTTL), at most a third
 *       of the lease, so it takes over right after a dead leader's lease expires, never before;</li>
 *   <li>leader: renews every third of the lease. Leadership is valid until four fifths of the lease after the
 *       last successful renewal was <i>sent</i> (measured on the monotonic clock, which is what Redis's PX
 *       follows; the injected {@link java.time.Clock} is for stored times). {@link #isLeader()} compares with
 *       that deadline on every call, so a leader whose renewal fails, hangs or comes late stops working a
 *       fifth of the lease before any standby can acquire it, with no event needed;</li>
 *   <li>a renewal that finds the key gone or held by another ends leadership at once;</li>
 *   <li>{@link #release()} (graceful stop) gives the key up so a standby takes over at once.</li>
 * </ol>
 * Work already sent when leadership ends (one script call) still completes; every duty is idempotent and
 * every script atomic, so such an overlap does no harm.
 */
final class LeaderLease implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
    private static final long RETRY_MS = 50;

    private final Lease lease;
    private final Clock clock;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final Duration ttl;
    private final LoopProgress progress;
    private final long renewEveryMs;
    private final long validityNanos;
    private final LongSupplier nanoTime;
    private final ChronMetrics metrics;
    private final RedisHealth health;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** Leadership holds while nanoTime() is before this; meaningful only while {@link #valid} is true. */
    private volatile long validUntilNanos;
    private volatile boolean valid;
    /** We may hold the key (acquired and not seen lost): renew it rather than acquire. */
    private boolean held;
    private volatile boolean lastContactOk = true;
    private volatile String lastFailure;
    private volatile long leaderSinceMillis;
    private volatile boolean stopped;

    LeaderLease(Lease lease, RedisClusterAsyncCommands<String, String> redis, ChronSettings settings, Clock clock, LongSupplier nanoTime,
                ChronMetrics metrics, RedisHealth health) {
        this.health = health;
        this.lease = lease;
        this.clock = clock;
        this.redis = redis;
        this.ttl = settings.leaseTtl();
        this.renewEveryMs = settings.renewEvery().toMillis();
        this.validityNanos = settings.leaderValidity().toNanos();
        this.nanoTime = nanoTime;
        this.metrics = metrics;
        // A round waits at most renew-every, plus one call to Redis (bounded by the client's timeout).
        this.progress = new LoopProgress("lease", Duration.ofMinutes(1).plus(ttl.multipliedBy(4)));
    }

    /** How the lease loop goes round, for {@code /livez}. */
    LoopProgress progress() {
        return progress;
    }

    /** True while this process holds a lease that is valid for a while yet. */
    boolean isLeader() {
        return valid && nanoTime.getAsLong() - validUntilNanos < 0;
    }

    /** Epoch ms when this process last became leader (0: never). */
    long leaderSinceMillis() {
        return leaderSinceMillis;
    }

    /**
     * Why this process does not lead now, or null while it leads: another chron holds the lease, or the last
     * exchange with Redis failed (unreachable, or refusing writes for memory, so the lease cannot be taken).
     */
    String notLeadingBecause() {
        if (isLeader()) {
            return null;
        }
        String failure = lastFailure;
        if (!lastContactOk && failure != null) {
            return (held ? "renewing" : "taking") + " the lease failed: " + failure;
        }
        return stopped ? "stopped" : "another chron holds the lease";
    }

    /** False when the last exchange with Redis failed. */
    boolean lastContactOk() {
        return lastContactOk;
    }

    String token() {
        return lease.token();
    }

    /** Waits until this process leads, at most {@code timeout}; true when it does. */
    boolean awaitLeadership(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!isLeader() && !stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(renewEveryMs)));
            }
            return isLeader();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            progress.pass();
            long waitMs = step();
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One acquire or renew attempt; returns how long to wait before the next. */
    long step() {
        long sentAt = nanoTime.getAsLong();
        boolean ok;
        try {
            ok = held ? lease.renew(ttl) : lease.tryAcquire(ttl);
            lastContactOk = true;
            health.record(null);
            metrics.redisLog.succeeded();
        } catch (RuntimeException e) {
            lastContactOk = false;
            health.record(e);
            lastFailure = RedisHealth.isOutOfMemory(e)
                    ? "Redis refuses writes for memory (at maxmemory with noeviction: " + e.getMessage() + ")"
                    : e.getMessage();
            metrics.redisLog.failed("chron lease {}: {} failed ({}); {}", lease.key(), held ? "renewal" : "acquisition", e.getMessage(),
                    isLeader() ? "still leader until the lease is too old" : "not leading");
            return Math.min(renewEveryMs, 200);
        }
        if (ok) {
            boolean wasLeader = isLeader();
            held = true;
            validUntilNanos = sentAt + validityNanos;
            valid = true;
            if (!wasLeader) {
                leaderSinceMillis = clock.millis();
                metrics.leaseAcquired().mark();
                log.info("chron lease {}: this process is the leader now (token {}, lease {})", lease.key(), lease.token(), Durations.human(ttl));
                signal();
            }
            return renewEveryMs;
        }
        if (held) {
            held = false;
            valid = false;
            metrics.leaseLost().mark();
            log.warn("chron lease {}: lost (expired or taken by another chron); stopped working", lease.key());
            signal();
        }
        return standbyWait();
    }

    /** Until the current holder's lease expires, at most a third of the lease, with a little jitter. */
    private long standbyWait() {
        long jitter = ThreadLocalRandom.current().nextLong(RETRY_MS);
        try {
            Long pttl = Await.get(redis.pttl(lease.key()), "read lease ttl");
            if (pttl == null || pttl < 0) {
                return RETRY_MS + jitter; // gone (or no expiry): try again at once
            }
            return Math.min(pttl + 1 + jitter, renewEveryMs);
        } catch (RuntimeException e) {
            return renewEveryMs;
        }
    }

    /** Ends leadership now and gives the key up if it is still ours (graceful stop). */
    void release() {
        stop();
        valid = false;
        try {
            if (lease.release()) {
                log.info("chron lease {}: released", lease.key());
            }
        } catch (RuntimeException e) {
            log.warn("chron lease {}: release failed ({}); it expires within {}", lease.key(), e.getMessage(), Durations.human(ttl));
        }
    }

    /** Stops taking or renewing the lease (the caller stops the thread). */
    void stop() {
        stopped = true;
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
