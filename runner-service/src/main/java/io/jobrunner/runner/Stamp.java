package io.jobrunner.runner;

/**
 * The version a ready queue is known under: either the stamp the registry holds for it ({@code jr:ready}, a
 * JobId written by the push that made it ready), or a local one given to a wake-up hint (a wake-up published
 * without a stamp). A hint's stamp is not in Redis, so a queue is never compare-and-deleted under it.
 */
record Stamp(String value, boolean hint) {

    /** A stamp read from the registry or carried by a wake-up. */
    static Stamp registry(String value) {
        return new Stamp(value, false);
    }

    /** The local stamp of the {@code n}th wake-up hint; unique, and never equal to a registry stamp. */
    static Stamp hint(long n) {
        return new Stamp(Long.toString(n), true);
    }
}
