package io.jobrunner.runner;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many more jobs this runner may claim: unlimited for a daemon, {@code maxJobs} for a bounded run
 * ({@link Runner#runBounded}). Claims take from it before calling Redis and give back what they did not get.
 */
final class ClaimBudget {

    private final AtomicLong left = new AtomicLong(Long.MAX_VALUE);

    void limit(long maxJobs) {
        left.set(maxJobs);
    }

    /** Takes up to {@code wanted}; returns how many were granted (0 when exhausted). */
    int take(int wanted) {
        while (true) {
            long now = left.get();
            if (now <= 0) {
                return 0;
            }
            int granted = (int) Math.min(wanted, now);
            if (left.compareAndSet(now, now - granted)) {
                return granted;
            }
        }
    }

    void giveBack(int n) {
        if (n > 0) {
            left.addAndGet(n);
        }
    }

    boolean exhausted() {
        return left.get() <= 0;
    }
}
