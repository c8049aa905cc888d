package io.jobrunner.client;

import java.util.Locale;

/** Where a job is: in exactly one of these at a time (the state diagram is in docs/internals.md). */
public enum JobState {
    READY, DELAYED, CLAIMED, ABANDONED,
    /** Not started before its expiry: kept for the operator (the latest per queue), never run. */
    EXPIRED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a state name in any case; the message lists what is allowed. */
    public static JobState parse(String text) {
        for (JobState s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job state '" + text + "'; allowed: ready, delayed, claimed, abandoned, expired");
    }
}
