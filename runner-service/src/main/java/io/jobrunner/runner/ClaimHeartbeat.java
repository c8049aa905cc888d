package io.jobrunner.runner;

import io.jobrunner.client.ClaimRef;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RootCause;
import io.jobrunner.service.LoopProgress;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Keeps this runner's claims alive: one thread ({@code runner-heartbeat}) for the whole runner.
 * <ol>
 *   <li>every claim held here (running, buffered, or finished with its ack in flight) is extended every third
 *       of its claim TTL, so a long healthy job is never recycled and run twice, while a dead runner's jobs come
 *       back after about one TTL;</li>
 *   <li>extends are batched: one {@code extend} call per queue for every claim due within a quarter period;</li>
 *   <li>a claim reported lost (the chron recycled it after a stall) is dropped, and its run cancelled: another
 *       runner may run the job now;</li>
 *   <li>a failed extend is tried again on the next tick, not a period later;</li>
 *   <li>fencing: a claim is valid here until its TTL after the last successful extend (or the claim) was
 *       <i>sent</i>, on the monotonic clock; Redis's deadline is at least as late. A running claim without a
 *       successful extend for longer than the TTL less a fifth of it is dropped and its run cancelled
 *       ({@link JobRun.Cancel#FENCED}), before the chron can recycle it, so two runners never run one job at the
 *       same time by our own doing; a finished claim whose ack or release is still being retried is kept until
 *       then ({@link #validFor});</li>
 *   <li>buffered jobs that waited longer than the buffer time are handed to {@code onStale} to be given back;</li>
 *   <li>it wakes every tick (a twelfth of the shortest claim TTL) and calls Redis only for claims due: an idle
 *       runner holds nothing and this thread makes no Redis call.</li>
 * </ol>
 */
final class ClaimHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(ClaimHeartbeat.class);
    private static final int MAX_PER_CALL = 1000;

    private static final class Held {
        final QueueName queue;
        final ClaimRef ref;
        final Duration ttl;
        final long periodNanos;
        volatile long nextNanos;
        /** The claim is surely still ours in Redis until then (monotonic): the TTL from when the last success was sent. */
        volatile long validUntilNanos;
        volatile JobRun run;
        volatile boolean finishing;
        final ClusterCaps.Permit permit;

        Held(QueueName queue, ClaimRef ref, Duration ttl, long sentNanos, long now, ClusterCaps.Permit permit) {
            this.permit = permit;
            this.queue = queue;
            this.ref = ref;
            this.ttl = ttl;
            this.periodNanos = Math.max(1, ttl.toNanos() / 3);
            this.nextNanos = now + periodNanos;
            this.validUntilNanos = sentNanos + ttl.toNanos();
        }

        /** When the run must stop (fencing): a fifth of the TTL before the claim may expire in Redis. */
        long fenceNanos() {
            return validUntilNanos - ttl.toNanos() / 5;
        }
    }

    private final JobConsumer consumer;
    private final ClusterCaps caps;
    private final RunnerMetrics metrics;
    private final ClaimBuffer buffer;
    private final long bufferNanos;
    private final Consumer<List<ClaimedJob>> onStale;
    private final Duration callTimeout;
    private final ConcurrentHashMap<ClaimRef, Held> held = new ConcurrentHashMap<>();
    private final long tickNanos;
    private volatile boolean running;
    private Thread thread;
    private final LoopProgress progress;

    /**
     * @param minClaimTtl the shortest claim TTL of any type: the thread looks at its claims every twelfth of it
     * @param bufferTime  how long a buffered job may wait before {@code onStale} gets it
     */
    ClaimHeartbeat(JobConsumer consumer, ClusterCaps caps, RunnerMetrics metrics, ClaimBuffer buffer, Duration minClaimTtl,
                   Duration bufferTime, Duration callTimeout, Consumer<List<ClaimedJob>> onStale) {
        this.caps = caps;
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), minClaimTtl.toNanos() / 12);
        this.consumer = consumer;
        this.metrics = metrics;
        this.buffer = buffer;
        this.bufferNanos = bufferTime.toNanos();
        this.callTimeout = callTimeout;
        this.onStale = onStale;
        // A round waits at most a tick, then for its extend calls (each bounded by the call timeout).
        this.progress = new LoopProgress("heartbeat", Duration.ofMinutes(1).plus(callTimeout.multipliedBy(4)));
    }

    /** How the heartbeat loop goes round, for {@code /livez}. */
    LoopProgress progress() {
        return progress;
    }

    /** @param onDeath told when the thread dies of an {@link Error} (the runner cannot keep its claims then) */
    synchronized void start(Thread.UncaughtExceptionHandler onDeath) {
        running = true;
        thread = new Thread(this::loop, "runner-heartbeat");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(onDeath);
        thread.start();
    }

    /** Stops the thread (after every claim was released or handed back). */
    void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            t.join(callTimeout.toMillis() + 1000);
        }
    }

    /** Starts heartbeating a claim just made; {@code sentNanos}: when the claim call was sent (monotonic). */
    void hold(ClaimedJob job, Duration ttl, long sentNanos) {
        hold(job, ttl, sentNanos, null);
    }

    /** As {@link #hold(ClaimedJob, Duration, long)}, with the claim's cluster-wide cap permit (extended with it, released when it ends). */
    void hold(ClaimedJob job, Duration ttl, long sentNanos, ClusterCaps.Permit permit) {
        // No wake-up: the thread looks at its claims every tick (a twelfth of the shortest TTL), long before the
        // first extension is due (a third of the TTL); so a claim costs no thread switch on the way to its run.
        held.put(job.ref(), new Held(job.queue(), job.ref(), ttl, sentNanos, System.nanoTime(), permit));
    }

    /**
     * How long the claim is surely still ours (to its fence: a fifth of its TTL before it may expire in Redis);
     * zero or negative when it may not be any more, or is not held. An ack or release is retried only while positive.
     */
    long validFor(ClaimRef ref) {
        Held h = held.get(ref);
        return h == null ? 0 : h.fenceNanos() - System.nanoTime();
    }

    /** The buffer got jobs: the thread must look at them within the buffer time, so it re-plans its wait now. */
    void buffered() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** True while the claim is held (not lost, not dropped). */
    boolean isHeld(ClaimRef ref) {
        return held.containsKey(ref);
    }

    void attach(ClaimRef ref, JobRun run) {
        Held h = held.get(ref);
        if (h != null) {
            h.run = run;
        }
    }

    /** The job's outcome is being sent: keep extending, but a lost report is expected now. */
    void finishing(ClaimRef ref) {
        Held h = held.get(ref);
        if (h != null) {
            h.finishing = true;
            h.run = null;
        }
    }

    void drop(ClaimRef ref) {
        Held h = held.remove(ref);
        if (h != null && h.permit != null) {
            caps.release(h.permit);
        }
    }

    /** Claims heartbeated now: none once every outcome is in (what the tests check). */
    int heldCount() {
        return held.size();
    }

    /** Extends one claim now (an executor's {@code heartbeat()}); blocks for the call. */
    void extendNow(ClaimRef ref) {
        Held h = held.get(ref);
        if (h == null) {
            return;
        }
        try {
            long sent = System.nanoTime();
            List<String> lost = consumer.extend(h.queue, h.ttl, List.of(ref)).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            h.validUntilNanos = Math.max(h.validUntilNanos, sent + h.ttl.toNanos());
            h.nextNanos = System.nanoTime() + h.periodNanos;
            if (!lost.isEmpty()) {
                lost(h);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            metrics.redisLog.failed("queue {}: heartbeat of job {} failed: {}", h.queue, ref.id(), RootCause.message(e));
        }
    }

    private void loop() {
        while (running) {
            progress.pass();
            try {
                long now = System.nanoTime();
                extendDue(now);
                fence(System.nanoTime());
                if (bufferNanos > 0) {
                    List<ClaimedJob> stale = buffer.takeOlderThan(now - bufferNanos);
                    if (!stale.isEmpty()) {
                        onStale.accept(stale);
                    }
                }
                park();
            } catch (RuntimeException e) {
                log.warn("heartbeat pass failed: {}", e.toString(), e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private void extendDue(long now) {
        Map<QueueName, List<Held>> due = new HashMap<>();
        for (Held h : held.values()) {
            if (h.nextNanos - (now + h.periodNanos / 4) <= 0) {
                due.computeIfAbsent(h.queue, q -> new ArrayList<>()).add(h);
            }
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (Map.Entry<QueueName, List<Held>> e : due.entrySet()) {
            List<Held> all = e.getValue();
            for (int from = 0; from < all.size(); from += MAX_PER_CALL) {
                List<Held> chunk = all.subList(from, Math.min(all.size(), from + MAX_PER_CALL));
                calls.add(extend(e.getKey(), chunk, now));
            }
        }
        for (CompletableFuture<Void> call : calls) {
            try {
                call.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception ignored) {
                // logged by extend()
            }
        }
    }

    private CompletableFuture<Void> extend(QueueName queue, List<Held> chunk, long now) {
        List<ClaimRef> refs = new ArrayList<>(chunk.size());
        Map<String, Held> byId = new HashMap<>();
        for (Held h : chunk) {
            refs.add(h.ref);
            byId.put(h.ref.id(), h);
            h.nextNanos = now + h.periodNanos;
        }
        List<ClusterCaps.Permit> permits = new ArrayList<>();
        for (Held h : chunk) {
            if (h.permit != null) {
                permits.add(h.permit);
            }
        }
        CompletableFuture<Void> permitCall = permits.isEmpty() ? CompletableFuture.completedFuture(null)
                : caps.extend(permits, chunk.get(0).ttl);
        CompletableFuture<List<String>> call;
        try {
            call = consumer.extend(queue, chunk.get(0).ttl, refs);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((lost, error) -> {
            if (error != null) {
                chunk.forEach(h -> h.nextNanos = now); // the next tick tries again
                metrics.redisLog.failed("queue {}: heartbeat of {} claim(s) failed (retrying next tick): {}", queue, refs.size(),
                        RootCause.message(error));
            } else {
                long validUntil = now + chunk.get(0).ttl.toNanos();
                chunk.forEach(h -> h.validUntilNanos = Math.max(h.validUntilNanos, validUntil));
                lost.forEach(id -> {
                    Held h = byId.get(id);
                    if (h != null) {
                        lost(h);
                    }
                });
            }
            return null;
        }).thenCombine(permitCall, (a, b) -> null);
    }

    /**
     * Drops every claim past its fence: its run is cancelled (another runner may get the job once the claim expires
     * in Redis); a buffered one is not started. A finishing claim is left to its ack or release, which give up by
     * {@link #validFor}.
     */
    private void fence(long now) {
        for (Held h : held.values()) {
            if (h.finishing || h.fenceNanos() - now > 0 || held.remove(h.ref) == null) {
                continue;
            }
            metrics.claimsFenced.mark(); // its cap permit, if any, is left to expire with the claim: the run may not have stopped yet
            JobRun run = h.run;
            long sinceMs = TimeUnit.NANOSECONDS.toMillis(now - (h.validUntilNanos - h.ttl.toNanos()));
            if (run != null) {
                run.log().warn("no successful heartbeat for {} ms (claim TTL {} ms): cancelling this run before the claim"
                        + " can expire and the job run elsewhere", sinceMs, h.ttl.toMillis());
                run.cancel(JobRun.Cancel.FENCED);
            } else {
                log.warn("queue {}: buffered job {} had no successful heartbeat for {} ms; it will not be started here",
                        h.queue, h.ref.id(), sinceMs);
            }
        }
    }

    private void lost(Held h) {
        if (held.remove(h.ref) == null) {
            return;
        }
        if (h.permit != null) {
            caps.release(h.permit);
        }
        if (h.finishing) {
            return;
        }
        metrics.claimsLost.mark();
        JobRun run = h.run;
        if (run != null) {
            run.log().warn("claim lost (recycled after a missed heartbeat): another runner may run this job; cancelling this run");
            run.cancel(JobRun.Cancel.CLAIM_LOST);
        } else {
            log.warn("queue {}: claim of buffered job {} lost; it will not be started here", h.queue, h.ref.id());
        }
    }

    /** Parks for one tick; shorter while jobs are buffered, so those not started within the buffer time go back soon. */
    private void park() {
        long tick = tickNanos;
        if (bufferNanos > 0 && buffer.size() > 0) {
            tick = Math.min(tick, Math.max(TimeUnit.MILLISECONDS.toNanos(1), bufferNanos / 4));
        }
        if (running) {
            LockSupport.parkNanos(this, tick);
        }
    }
}
