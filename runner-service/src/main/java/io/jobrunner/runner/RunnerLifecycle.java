package io.jobrunner.runner;

/**
 * How far a stop has gone, as the slots see it: first no more claims ({@link #stopping}), then, when the grace
 * is over, jobs not yet started are given back instead of run ({@link #forced}). Flags only move forward.
 */
final class RunnerLifecycle {

    private volatile boolean stopping;
    private volatile boolean forced;

    /** No more claims: slots finish what they hold and exit. */
    boolean stopping() {
        return stopping;
    }

    void stopClaiming() {
        stopping = true;
    }

    /** The grace is over: jobs not yet started are given back instead of run. */
    boolean forced() {
        return forced;
    }

    void force() {
        forced = true;
    }
}
