package io.jobrunner.runner;

import io.jobrunner.client.ClaimRef;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Tries a failed ack or release again (a Redis blip must not turn a finished job into a second run), on one thread
 * ({@code runner-outcome-retries}) for the runner:
 * <ol>
 *   <li>after a backoff from 100 ms, doubling per attempt, at most 2 s;</li>
 *   <li>only while every claim of the call is still surely ours ({@link ClaimHeartbeat#validFor}: the heartbeat
 *       keeps extending a finishing claim meanwhile); at the claim's fence it gives up, and the chron recycles the
 *       claim after its deadline (the job runs again: at least once);</li>
 *   <li>never after {@link #stop()}: a stopping runner gives up what is still failing.</li>
 * </ol>
 */
final class OutcomeRetries {

    private static final long FIRST_MS = 100;
    private static final long MAX_MS = 2_000;

    private final ClaimHeartbeat heartbeat;
    private final ScheduledThreadPoolExecutor scheduler;

    OutcomeRetries(ClaimHeartbeat heartbeat) {
        this.heartbeat = heartbeat;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "runner-outcome-retries");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    /** The delay before attempt {@code attempt + 1}, after {@code attempt} failed (1 for the first). */
    static long delayMillis(int attempt) {
        int doublings = Math.min(Math.max(0, attempt - 1), 10);
        return Math.min(MAX_MS, FIRST_MS << doublings);
    }

    /** True when the claim is still surely ours after the backoff of {@code attempt}: worth another try. */
    boolean worthRetrying(ClaimRef ref, int attempt) {
        return heartbeat.validFor(ref) - TimeUnit.MILLISECONDS.toNanos(delayMillis(attempt)) > 0;
    }

    /** Runs {@code resend} after the backoff of {@code attempt}; false when the runner is stopping (give up). */
    boolean schedule(int attempt, Runnable resend) {
        try {
            scheduler.schedule(resend, delayMillis(attempt), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void stop() {
        scheduler.shutdownNow();
    }
}
