package io.jobrunner.git;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Lease;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The per-repository lock: two jobs on one working copy never run at once, across slots and across runner
 * processes. It is a {@link Lease} in Redis on {@code <prefix>:lock:git:<name>}.
 * <ol>
 *   <li>{@link #acquire}: tries until {@code lock-wait} has passed (polling every 50 to 200 ms), then gives up
 *       with a retryable failure; gives up at once when the run is cancelled;</li>
 *   <li>renews the lease every third of its TTL while held; a renewal that finds the lease taken, or no
 *       successful renewal for a whole TTL, marks the lock {@link #lost()} and the running git operation
 *       stops at its next progress check. The TTL is measured from when the last successful renewal was
 *       <i>sent</i> (a slow reply must not stretch the lock's validity past the key's expiry in Redis);</li>
 *   <li>{@link #close}: stops renewing and releases the lease if it is still ours.</li>
 * </ol>
 */
final class RepositoryLock implements AutoCloseable {

    /** Called once when the first attempt finds the lock taken (tests use it to order runs). */
    interface WaitListener {
        void waiting(String name);
    }

    private final Lease lease;
    private final String name;
    private final Duration ttl;
    private final Logger log;
    private volatile boolean lost;
    private volatile long lastRenewedNanos;
    private ScheduledFuture<?> renewal;

    private RepositoryLock(Lease lease, String name, Duration ttl, Logger log) {
        this.lease = lease;
        this.name = name;
        this.ttl = ttl;
        this.log = log;
    }

    /** The Redis key of a repository's lock. */
    static String key(JobRunnerClient client, String name) {
        return client.keys().lock("git:" + name);
    }

    /**
     * Takes the lock of {@code name} or fails with a retry.
     *
     * @param cancelled true once the run must stop
     */
    static RepositoryLock acquire(JobRunnerClient client, ScheduledExecutorService renewer, String name, Duration ttl,
                                  Duration wait, BooleanSupplier cancelled, WaitListener listener, Logger log) throws GitJobException {
        RepositoryLock lock = new RepositoryLock(client.lease(key(client, name)), name, ttl, log);
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        long pause = 50;
        boolean announced = false;
        long sentNanos;
        while (true) {
            try {
                sentNanos = System.nanoTime();
                if (lock.lease.tryAcquire(ttl)) {
                    break;
                }
            } catch (RuntimeException e) {
                throw GitJobException.retry("cannot take the lock of repository '" + name + "' in Redis: " + e.getMessage(), e);
            }
            if (!announced) {
                announced = true;
                log.info("repository '{}' is locked by another job; waiting up to {} ms", name, wait.toMillis());
                listener.waiting(name);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw GitJobException.retry("repository '" + name + "' is busy: another job held its lock for the whole "
                        + wait.toMillis() + " ms lock-wait; will retry", null);
            }
            if (cancelled.getAsBoolean()) {
                throw GitJobException.retry("cancelled (timeout or shutdown) while waiting for the lock of repository '" + name + "'", null);
            }
            try {
                Thread.sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw GitJobException.retry("interrupted while waiting for the lock of repository '" + name + "'", e);
            }
            pause = Math.min(pause * 2, 200);
        }
        lock.lastRenewedNanos = sentNanos;
        long every = Math.max(1, ttl.toMillis() / 3);
        lock.renewal = renewer.scheduleAtFixedRate(lock::renew, every, every, TimeUnit.MILLISECONDS);
        return lock;
    }

    /** True once the lease was taken by another holder or could not be renewed for a whole TTL. */
    boolean lost() {
        return lost || System.nanoTime() - lastRenewedNanos > ttl.toNanos();
    }

    private void renew() {
        if (lost) {
            return;
        }
        try {
            long sent = System.nanoTime(); // Redis's TTL runs from when it got the renewal, which is after this
            if (lease.renew(ttl)) {
                lastRenewedNanos = sent;
            } else {
                lost = true;
                log.warn("lost the lock of repository '{}' (another holder has it); stopping", name);
            }
        } catch (RuntimeException e) {
            log.warn("cannot renew the lock of repository '{}': {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (renewal != null) {
            renewal.cancel(false);
        }
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.warn("cannot release the lock of repository '{}' (it expires in at most {} ms): {}", name, ttl.toMillis(), e.getMessage());
        }
    }
}
