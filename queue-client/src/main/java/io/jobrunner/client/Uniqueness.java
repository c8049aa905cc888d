package io.jobrunner.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a job's dedup key keeps equal jobs out of its queue (a push of one is reported as a duplicate):
 * <ul>
 *   <li>{@code while-waiting} (the default): while the job is ready or delayed, again each time it waits for a
 *       retry; not while it runs;</li>
 *   <li>{@code until-started}: from the push until the job first starts (a retry does not take it again);</li>
 *   <li>{@code until-finished}: from the push until the job ends: it succeeds, is abandoned (out of attempts, a
 *       permanent failure), expires or is deleted; waiting, running and retrying all hold it;</li>
 *   <li>{@code for:<ms>}: for this long after the push, whatever becomes of the job.</li>
 * </ul>
 * Written as those strings in the stored job and in the push command's {@code --unique}.
 *
 * @param mode   the rule
 * @param period for {@link Mode#FOR_PERIOD}: how long after the push (1 ms to 366 days); null otherwise
 */
public record Uniqueness(Mode mode, Duration period) {

    public enum Mode { WHILE_WAITING, UNTIL_STARTED, UNTIL_FINISHED, FOR_PERIOD }

    public static final Duration MAX_PERIOD = Duration.ofDays(366);

    public Uniqueness {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.FOR_PERIOD && (period == null || period.toMillis() < 1 || period.compareTo(MAX_PERIOD) > 0)) {
            throw new InvalidJobException("unique", period, "a period of 1ms to 366d after the push");
        }
        if (mode != Mode.FOR_PERIOD && period != null) {
            throw new InvalidJobException("unique", period, "a period only with for:<duration>");
        }
    }

    public static Uniqueness whileWaiting() {
        return new Uniqueness(Mode.WHILE_WAITING, null);
    }

    public static Uniqueness untilStarted() {
        return new Uniqueness(Mode.UNTIL_STARTED, null);
    }

    public static Uniqueness untilFinished() {
        return new Uniqueness(Mode.UNTIL_FINISHED, null);
    }

    public static Uniqueness forPeriod(Duration period) {
        return new Uniqueness(Mode.FOR_PERIOD, period);
    }

    /** Reads {@code while-waiting}, {@code until-started}, {@code until-finished} or {@code for:<ms>}. */
    @JsonCreator
    public static Uniqueness parse(String text) {
        if (text == null) {
            throw new InvalidJobException("unique", null, "while-waiting, until-started, until-finished or for:<ms>");
        }
        switch (text) {
            case "while-waiting":
                return whileWaiting();
            case "until-started":
                return untilStarted();
            case "until-finished":
                return untilFinished();
            default:
                if (text.matches("for:[0-9]{1,12}")) {
                    return forPeriod(Duration.ofMillis(Long.parseLong(text.substring(4))));
                }
                throw new InvalidJobException("unique", text, "while-waiting, until-started, until-finished or for:<ms>");
        }
    }

    /** The written form, as {@link #parse} reads it (and push.lua). */
    @JsonValue
    @Override
    public String toString() {
        return switch (mode) {
            case WHILE_WAITING -> "while-waiting";
            case UNTIL_STARTED -> "until-started";
            case UNTIL_FINISHED -> "until-finished";
            case FOR_PERIOD -> "for:" + period.toMillis();
        };
    }
}
