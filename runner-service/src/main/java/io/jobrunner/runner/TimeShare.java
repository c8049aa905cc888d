package io.jobrunner.runner;

/**
 * One group's time share: how its slot-busy time splits between the high and low class over a sliding
 * window, and which class a freed slot should serve next.
 * <ol>
 *   <li>records finished runs into a ring of time buckets covering the window, and keeps the start of each
 *       slot's current run, so the elapsed time of running jobs counts too (a ten-times-longer low job weighs
 *       ten times more while it runs, not only after it ends);</li>
 *   <li>{@link #preferred}: the class whose share is below its target (a class with no ready work yields at
 *       once because the caller then serves the other class; idle time counts for neither). For this decision a
 *       running job counts its elapsed time or its type's mean run time, whichever is longer: a slot that just
 *       started a long low job then counts it for what it will take, so slots freed meanwhile do not start more
 *       long jobs on a share that only looks low (with elapsed time alone a simulation of 4 slots with 5 ms high
 *       and 50 ms low jobs settles at 0.78 instead of 0.80);</li>
 *   <li>reports the measured high share and the slot utilisation over the window (gauges and {@code /status}).</li>
 * </ol>
 * Times are monotonic nanoseconds from the caller (so tests can drive it); thread-safe (one lock, O(buckets)).
 */
public final class TimeShare {

    static final int BUCKETS = 40;

    private final long windowNanos;
    private final long bucketNanos;
    private final double target;
    private final int slots;
    private final long[] bucketNumber = new long[BUCKETS];
    private final long[] highBusy = new long[BUCKETS];
    private final long[] lowBusy = new long[BUCKETS];
    private final long[] runStart;
    private final long[] runExpected;
    private final JobClass[] runClass;

    public TimeShare(long windowNanos, double highShareTarget, int slots) {
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        this.windowNanos = bucketNanos * BUCKETS;
        this.target = highShareTarget;
        this.slots = slots;
        this.runStart = new long[slots];
        this.runExpected = new long[slots];
        this.runClass = new JobClass[slots];
        java.util.Arrays.fill(bucketNumber, -1);
    }

    double target() {
        return target;
    }

    /**
     * Slot {@code slot} (0-based) started a run of class {@code c} at {@code now}, expected to take
     * {@code expectedNanos} (the type's mean run time; 0 when unknown).
     */
    public synchronized void started(int slot, JobClass c, long now, long expectedNanos) {
        runStart[slot] = now;
        runExpected[slot] = Math.max(0, expectedNanos);
        runClass[slot] = c;
    }

    /** Slot {@code slot}'s run ended at {@code now}: its whole time goes into the buckets. */
    public synchronized void finished(int slot, long now) {
        JobClass c = runClass[slot];
        if (c == null) {
            return;
        }
        runClass[slot] = null;
        long windowStart = (Math.floorDiv(now, bucketNanos) - BUCKETS + 1) * bucketNanos;
        long from = Math.max(runStart[slot], windowStart);
        long[] busy = c == JobClass.HIGH ? highBusy : lowBusy;
        long t = from;
        while (t < now) {
            long n = Math.floorDiv(t, bucketNanos);
            long bucketEnd = (n + 1) * bucketNanos;
            long until = Math.min(bucketEnd, now);
            int i = bucketIndex(n);
            busy[i] += until - t;
            t = until;
        }
    }

    /** The class a freed slot should serve first at {@code now}. */
    public synchronized JobClass preferred(long now) {
        if (target >= 1.0) {
            return JobClass.HIGH;
        }
        if (target <= 0.0) {
            return JobClass.LOW;
        }
        long[] sums = sums(now, true);
        long total = sums[0] + sums[1];
        if (total == 0) {
            return JobClass.HIGH;
        }
        return (double) sums[0] / total < target ? JobClass.HIGH : JobClass.LOW;
    }

    /** The high class's share of busy time in the window, or null when the group was idle all window. */
    public synchronized Double highShare(long now) {
        long[] sums = sums(now, false);
        long total = sums[0] + sums[1];
        return total == 0 ? null : (double) sums[0] / total;
    }

    /** Busy slot time over available slot time in the window, 0..1. */
    public synchronized double utilisation(long now) {
        long[] sums = sums(now, false);
        return Math.min(1.0, (double) (sums[0] + sums[1]) / ((double) windowNanos * slots));
    }

    /**
     * {high, low} busy nanoseconds in the window ending at {@code now}, running jobs included: their elapsed time,
     * or with {@code expected} at least their expected run time.
     */
    private long[] sums(long now, boolean expected) {
        long newest = Math.floorDiv(now, bucketNanos);
        long oldest = newest - BUCKETS + 1;
        long high = 0;
        long low = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketNumber[i] >= oldest && bucketNumber[i] <= newest) {
                high += highBusy[i];
                low += lowBusy[i];
            }
        }
        long windowStart = oldest * bucketNanos;
        for (int s = 0; s < slots; s++) {
            if (runClass[s] != null) {
                long elapsed = now - Math.max(runStart[s], windowStart);
                if (expected) {
                    elapsed = Math.max(elapsed, runExpected[s] - Math.max(0, windowStart - runStart[s]));
                }
                if (elapsed > 0) {
                    if (runClass[s] == JobClass.HIGH) {
                        high += elapsed;
                    } else {
                        low += elapsed;
                    }
                }
            }
        }
        return new long[]{high, low};
    }

    /** The ring slot of absolute bucket {@code n}, cleared when it is reused for a newer bucket. */
    private int bucketIndex(long n) {
        int i = (int) Math.floorMod(n, (long) BUCKETS);
        if (bucketNumber[i] != n) {
            bucketNumber[i] = n;
            highBusy[i] = 0;
            lowBusy[i] = 0;
        }
        return i;
    }
}
