package io.jobrunner.runner;

/**
 * The version a ready queue is known under, and how it was learned: read from the registry ({@code jr:ready}) by a
 * refresh; carried by a wake-up (a push on a single node, or a move to ready: promote, recycle, retry, repair); or a
 * local one given to a wake-up <i>hint</i> (a push's wake-up on a cluster, published without a stamp). A hint's
 * stamp is not in Redis, so a queue is never compare-and-deleted under it.
 */
record Stamp(String value, Source source) {

    enum Source { REFRESH, WAKE_UP, HINT }

    /** A stamp read from the registry by a refresh. */
    static Stamp registry(String value) {
        return new Stamp(value, Source.REFRESH);
    }

    /** A registry stamp carried by a wake-up. */
    static Stamp wakeUp(String value) {
        return new Stamp(value, Source.WAKE_UP);
    }

    /** The local stamp of the {@code n}th wake-up hint; unique, and never equal to a registry stamp. */
    static Stamp hint(long n) {
        return new Stamp(Long.toString(n), Source.HINT);
    }

    /** Not in Redis: never compare-and-delete under it. */
    boolean hint() {
        return source == Source.HINT;
    }

    /** Learned from a wake-up, which usually announces one job ({@link WakeUpClaimGate}). */
    boolean announced() {
        return source != Source.REFRESH;
    }
}
