package io.jobrunner.client;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A cron expression of a recurring schedule, parsed by cron-utils: the five Unix fields (minute, hour, day of
 * month, month, day of week; Sunday is 0 or 7, names allowed), or six with seconds first. Day of month and
 * day of week both restricted match either (Unix semantics).
 * <p>
 * Times are computed in the schedule's zone, forward only, so a change of daylight saving time does what the
 * wall clock does: a time that the change skips (02:30 on the spring-forward night in Europe/Berlin) does not
 * fire that night; a time that it repeats (02:30 on the fall-back night) fires once, at its first occurrence;
 * an hourly or more frequent expression fires in both repeated hours, as they are distinct instants.
 */
public final class CronExpression {

    private static final CronDefinition WITH_SECONDS = CronDefinitionBuilder.defineCron()
            .withSeconds().withValidRange(0, 59).withStrictRange().and()
            .withMinutes().withValidRange(0, 59).withStrictRange().and()
            .withHours().withValidRange(0, 23).withStrictRange().and()
            .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
            .withMonth().withValidRange(1, 12).withStrictRange().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
            .matchDayOfWeekAndDayOfMonth()
            .instance();
    private static final CronParser PARSER = new CronParser(WITH_SECONDS);

    private final String text;
    private final ExecutionTime times;

    private CronExpression(String text, ExecutionTime times) {
        this.text = text;
        this.times = times;
    }

    /** Parses five fields, or six with seconds first; throws {@link InvalidScheduleException} naming what is wrong. */
    public static CronExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidScheduleException("cron", text, "5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first");
        }
        String trimmed = text.trim().replaceAll("\\s+", " ");
        int fields = trimmed.split(" ").length;
        if (fields != 5 && fields != 6) {
            throw new InvalidScheduleException("cron", text, "5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, found "
                    + fields);
        }
        try {
            Cron cron = PARSER.parse(fields == 5 ? "0 " + trimmed : trimmed);
            cron.validate();
            return new CronExpression(trimmed, ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("cron", text, "a valid cron expression (" + e.getMessage() + ")");
        }
    }

    /** The first fire time strictly after {@code after}, in {@code zone}; empty when the expression never fires again. */
    public Optional<Instant> next(Instant after, ZoneId zone) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant)
                .filter(t -> t.isAfter(after));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronExpression c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
