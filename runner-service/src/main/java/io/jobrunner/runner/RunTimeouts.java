package io.jobrunner.runner;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cancels runs at their type's timeout: one thread ({@code runner-timeouts}) for the runner.
 * <ol>
 *   <li>{@link #watch} records a run's deadline; {@link #unwatch} forgets it when the run ends;</li>
 *   <li>the thread parks until the earliest deadline, but never longer than its tick (half the shortest
 *       configured timeout, 5 ms to 1 s), so a new run needs no wake-up: its deadline is at least two ticks
 *       away. Starting a job therefore costs no thread switch;</li>
 *   <li>a run past its deadline is cancelled ({@link JobRun#cancel}, reason TIMEOUT). Timeouts shorter than
 *       10 ms may fire up to 5 ms late;</li>
 *   <li>a run cancelled for any reason whose executor has not returned within its stop grace
 *       ({@link JobRun#stuck}) is given up once ({@link JobRun#giveUp}: its slot is replaced).</li>
 * </ol>
 */
final class RunTimeouts {

    private static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_TICK = TimeUnit.SECONDS.toNanos(1);

    private final Map<JobRun, Long> deadlines = new ConcurrentHashMap<>();
    private final long tickNanos;
    private volatile boolean running;
    private Thread thread;

    /** @param minTimeout the shortest run timeout of any type */
    RunTimeouts(Duration minTimeout) {
        this.tickNanos = Math.max(MIN_TICK, Math.min(MAX_TICK, minTimeout.toNanos() / 2));
    }

    /** @param onDeath told when the thread dies of an {@link Error} (runs would no longer be stopped at their timeout) */
    synchronized void start(Thread.UncaughtExceptionHandler onDeath) {
        running = true;
        thread = new Thread(this::loop, "runner-timeouts");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(onDeath);
        thread.start();
    }

    void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            t.join(5000);
        }
    }

    void watch(JobRun run, Duration timeout) {
        deadlines.put(run, System.nanoTime() + timeout.toNanos());
    }

    void unwatch(JobRun run) {
        deadlines.remove(run);
    }

    private void loop() {
        while (running) {
            long now = System.nanoTime();
            long next = now + tickNanos;
            for (Map.Entry<JobRun, Long> e : deadlines.entrySet()) {
                JobRun run = e.getKey();
                long deadline = e.getValue();
                if (run.cancelled()) {
                    if (run.stuck(now)) {
                        deadlines.remove(run, deadline);
                        giveUp(run);
                    } else if (run.stuckCheckNanos() - next < 0) {
                        next = run.stuckCheckNanos();
                    }
                } else if (deadline - now <= 0) {
                    run.cancel(JobRun.Cancel.TIMEOUT); // still watched: for the stop grace
                } else if (deadline - next < 0) {
                    next = deadline;
                }
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    private void giveUp(JobRun run) {
        try {
            run.giveUp();
        } catch (RuntimeException e) {
            run.log().error("giving up on the stuck run failed: {}", e.toString(), e);
        }
    }
}
