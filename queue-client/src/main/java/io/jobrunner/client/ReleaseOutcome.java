package io.jobrunner.client;

import java.util.Locale;

/**
 * How {@code release.lua} ends a claim without success; its ARGV[3] is {@link #wire()}. One script serves the
 * three because they share what must be atomic with each of them: the token check, the claim's removal, the
 * error kept, and (for the two that wait again) the dedup entry given back.
 */
enum ReleaseOutcome {
    /** Waits in delayed for the retry delay (ready at once for none); the attempt counted. */
    RETRY,
    /** Abandoned: a permanent failure or out of attempts. */
    ABANDON,
    /** The claim end of ready, the attempt not counted (shutdown, a buffered job never started). */
    REQUEUE;

    /** The name {@code release.lua} expects. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
