package io.jobrunner.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A recurring schedule: at each tick of its cron expression (in its time zone) the chron leader pushes one
 * job of {@code type} into {@code domain} with these params. Immutable and validated on construction, so a bad
 * schedule never reaches Redis; the {@code with...} methods return copies.
 *
 * @param name   unique among schedules, {@code [A-Za-z0-9_.-]{1,128}}
 * @param cron   when it fires ({@link CronExpression}: 5 fields, or 6 with seconds first)
 * @param zone   the time zone the expression is read in (default UTC)
 * @param type   the job type pushed
 * @param domain the job domain, {@code default} when not given
 * @param params the job's params (a JSON object, copied into every job)
 * @param missed what ticks missed during downtime do
 */
public record Schedule(String name, CronExpression cron, ZoneId zone, String type, String domain, ObjectNode params,
                       MissedTicks missed) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    public Schedule {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidScheduleException("name", name, "1 to 128 characters of A-Z a-z 0-9 _ . -");
        }
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(missed, "missed");
        try {
            JobValidator.requireName("type", type);
            JobValidator.requireName("domain", domain);
        } catch (InvalidJobException e) {
            throw new InvalidScheduleException(e.field(), e.field().equals("type") ? type : domain, "1 to 128 characters of A-Z a-z 0-9 _ . -");
        }
        if (params == null) {
            throw new InvalidScheduleException("params", null, "a JSON object");
        }
        params = params.deepCopy();
    }

    /** A schedule firing {@code type} jobs (default domain, no params, UTC, missed ticks skipped). */
    public static Schedule of(String name, String cron, String type) {
        return new Schedule(name, CronExpression.parse(cron), ZoneId.of("UTC"), type, Job.DEFAULT_DOMAIN,
                JsonNodeFactory.instance.objectNode(), MissedTicks.SKIP);
    }

    /** The zone by its id (e.g. {@code Europe/Berlin}); throws {@link InvalidScheduleException} for an unknown one. */
    public static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException | NullPointerException e) {
            throw new InvalidScheduleException("zone", id, "a time zone id such as UTC or Europe/Berlin");
        }
    }

    public Schedule inZone(ZoneId newZone) {
        return new Schedule(name, cron, newZone, type, domain, params, missed);
    }

    public Schedule inDomain(String newDomain) {
        return new Schedule(name, cron, zone, type, newDomain, params, missed);
    }

    public Schedule withParams(JsonNode newParams) {
        if (!(newParams instanceof ObjectNode object)) {
            throw new InvalidScheduleException("params", newParams == null ? null : newParams.getNodeType(), "a JSON object");
        }
        return new Schedule(name, cron, zone, type, domain, object, missed);
    }

    public Schedule onMissed(MissedTicks newMissed) {
        return new Schedule(name, cron, zone, type, domain, params, newMissed);
    }

    public QueueName queue() {
        return new QueueName(domain, type);
    }

    /** The dedup key of the job fired at {@code tick} (epoch ms): one job per schedule and tick. */
    public String dedupKey(long tick) {
        return "schedule:" + name + "@" + tick;
    }
}
