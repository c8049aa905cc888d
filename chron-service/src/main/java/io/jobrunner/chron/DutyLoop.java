package io.jobrunner.chron;

import com.codahale.metrics.Timer;
import io.jobrunner.service.ProbeResult;
import io.jobrunner.service.RedisErrorLog;
import io.jobrunner.service.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Runs one {@link Duty} on its own thread ({@code chron-<duty>}) while this process leads:
 * <ol>
 *   <li>waits for leadership (interruptibly);</li>
 *   <li>runs the duty once, timed ({@code chron.duty.<duty>.time}); a failed run is logged, counted
 *       ({@code chron.duty.<duty>.errors}) and survived, and the loop waits a full interval before trying again;</li>
 *   <li>records the run for {@code /status}: when (from the injected clock), how long, what it counted;</li>
 *   <li>waits the duty's next delay (interruptibly), then goes round again.</li>
 * </ol>
 * The loop never restarts itself; {@link #stop()} interrupts it and waits for it to end. An {@link Error} ends the
 * thread and is handed to the chron, which gives up leadership: a leader whose duty stopped must not keep the lease.
 */
final class DutyLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(DutyLoop.class);
    private static final Duration LEADERSHIP_POLL = Duration.ofSeconds(1);

    private final Duty duty;
    private final LeaderLease lease;
    private final ChronMetrics metrics;
    private final Clock clock;
    private final Duration failureWait;
    private final Thread thread;

    private volatile DutyStatus status;

    /** @param onDeath told when the loop dies of an {@link Error} (the chron then gives up leadership) */
    DutyLoop(Duty duty, LeaderLease lease, ChronMetrics metrics, Clock clock, Duration failureWait,
             Thread.UncaughtExceptionHandler onDeath) {
        this.duty = duty;
        this.lease = lease;
        this.metrics = metrics;
        this.clock = clock;
        this.failureWait = failureWait;
        this.status = DutyStatus.never(duty.name());
        this.thread = new Thread(this, "chron-" + duty.name());
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler(onDeath);
    }

    void start() {
        thread.start();
    }

    /** Adds this loop's check to {@code /livez}: its thread alive (a standby's loops wait for leadership). */
    void check(ProbeResult.Builder probe) {
        probe.check("duty " + duty.name(), thread.isAlive(), thread.isAlive() ? "thread " + thread.getName() + " alive"
                : "thread " + thread.getName() + " ended");
    }

    /** Interrupts the loop and waits (up to {@code timeout}) for it to end. */
    void stop(Duration timeout) {
        thread.interrupt();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("chron-{} did not stop within {}", duty.name(), Durations.human(timeout));
        }
    }

    DutyStatus status() {
        return status;
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (!lease.awaitLeadership(LEADERSHIP_POLL)) {
                    continue;
                }
                Duration wait = runOnce() ? duty.nextDelay() : failureWait;
                Thread.sleep(Math.max(1, wait.toMillis()));
            }
        } catch (InterruptedException | CancellationException e) {
            // stopping
        }
    }

    /** One run of the duty; false when it failed. */
    boolean runOnce() {
        String startedAt = clock.instant().toString();
        Timer.Context timer = metrics.dutyTime(duty.name()).time();
        try {
            Map<String, Long> counts = duty.run(lease::isLeader);
            long nanos = timer.stop();
            status = status.ran(startedAt, nanos / 1_000_000, counts);
            return true;
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            timer.stop();
            metrics.dutyErrors(duty.name()).mark();
            status = status.failed(startedAt, e.toString());
            if (RedisErrorLog.isRedisFailure(e)) {
                metrics.redisLog.failed("chron {} failed, trying again in {}: {}", duty.name(), Durations.human(failureWait), e.toString());
            } else {
                log.warn("chron {} failed, trying again in {}: {}", duty.name(), Durations.human(failureWait), e.toString());
            }
            return false;
        }
    }
}
