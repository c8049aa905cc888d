package io.jobrunner.client;

import java.util.Locale;

/**
 * What a schedule does with ticks missed while no chron led (or Redis was away): ticks older than the chron's
 * {@code schedules.grace} when it gets to them. Ticks within the grace always fire.
 */
public enum MissedTicks {
    /** Missed ticks fire no job. */
    SKIP,
    /** Missed ticks together fire one job, at the latest of them. */
    ONCE,
    /** Each missed tick fires its own job, the latest {@code schedules.max-catch-up} of them; older ones are skipped. */
    ALL;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** skip, once or all (any case); throws {@link InvalidScheduleException} otherwise. */
    public static MissedTicks parse(String text) {
        for (MissedTicks m : values()) {
            if (m.configName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new InvalidScheduleException("missed", text, "skip, once or all");
    }
}
