package io.jobrunner.service;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a daemon's loop last went round, so {@code /livez} can tell a working loop from a dead or wedged one.
 * The loop calls {@link #pass()} on every round, failed rounds included: a loop that keeps failing against an
 * unreachable Redis is alive; one that stopped going round is not.
 */
public final class LoopProgress {

    private final String name;
    private final long wedgedAfterNanos;
    private volatile long lastPassNanos;
    private volatile Thread thread;

    /** @param wedgedAfter how long without a round counts as wedged: longer than the loop's longest wait and call */
    public LoopProgress(String name, Duration wedgedAfter) {
        this.name = name;
        this.wedgedAfterNanos = wedgedAfter.toNanos();
    }

    /** Called by the loop's thread on every round. */
    public void pass() {
        lastPassNanos = System.nanoTime();
        thread = Thread.currentThread();
    }

    /** Adds this loop's check: its thread alive and a round within the bound. */
    public void check(ProbeResult.Builder probe) {
        Thread t = thread;
        if (t == null) {
            probe.check(name, false, "not started");
            return;
        }
        long agoMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPassNanos);
        if (!t.isAlive()) {
            probe.check(name, false, "thread " + t.getName() + " ended");
        } else if (agoMs * 1_000_000 > wedgedAfterNanos) {
            probe.check(name, false, "thread " + t.getName() + " wedged: no round for " + agoMs + " ms (state " + t.getState() + ")");
        } else {
            probe.check(name, true, "thread " + t.getName() + " alive, last round " + agoMs + " ms ago");
        }
    }
}
