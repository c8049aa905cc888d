package io.jobrunner.runner;

import java.time.Duration;

/**
 * Counts asynchronous Redis calls (acks, releases) still in flight, so a stop can wait for them before the
 * runner lets go of its claims.
 */
final class InFlight {

    private int count;

    synchronized void begin() {
        count++;
    }

    synchronized void end() {
        if (--count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Waits until nothing is in flight or {@code max} passed; true when nothing is in flight. */
    synchronized boolean awaitNone(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
