package io.jobrunner.chron;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.jobrunner.client.CronExpression;
import io.jobrunner.client.InvalidScheduleException;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.MissedTicks;
import io.jobrunner.client.Schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code jobrunner.schedules}: the recurring schedules of the config, one block per name, validated at start
 * (a bad block fails with its HOCON path and what is allowed):
 * <pre>
 *   nightlyReport { cron = "0 3 * * *", zone = "Europe/Berlin", type = report, domain = shop, params { full = true },
 *                   missed = once }
 * </pre>
 * {@code cron} and {@code type} are required; {@code zone} defaults to UTC, {@code domain} to {@code default},
 * {@code params} to {} and {@code missed} to {@code skip}.
 */
final class ConfiguredSchedules {

    static final String PATH = "jobrunner.schedules";
    private static final Set<String> KEYS = Set.of("cron", "zone", "type", "domain", "params", "missed");

    private ConfiguredSchedules() {
    }

    static List<Schedule> from(Config root) {
        if (!root.hasPath(PATH)) {
            return List.of();
        }
        List<Schedule> out = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : root.getObject(PATH).entrySet()) {
            String path = ConfigUtil.joinPath("jobrunner", "schedules", entry.getKey());
            if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new ConfigException.BadValue(entry.getValue().origin(), path, "must be a block { cron = ..., type = ... }");
            }
            out.add(schedule(entry.getKey(), (ConfigObject) entry.getValue(), path));
        }
        return out;
    }

    private static Schedule schedule(String name, ConfigObject block, String path) {
        for (String key : block.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException.BadValue(block.get(key).origin(), path + "." + key,
                        "unknown key; allowed here: " + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        Config c = block.toConfig();
        try {
            Schedule s = new Schedule(name, CronExpression.parse(required(c, "cron", path)),
                    Schedule.zone(c.hasPath("zone") ? c.getString("zone") : "UTC"), required(c, "type", path),
                    c.hasPath("domain") ? c.getString("domain") : Job.DEFAULT_DOMAIN, JobCodec.mapper().createObjectNode(),
                    MissedTicks.parse(c.hasPath("missed") ? c.getString("missed") : "skip"));
            return c.hasPath("params") ? s.withParams(params(c, path)) : s;
        } catch (InvalidScheduleException e) {
            String field = e.field().equals("name") ? path : path + "." + e.field();
            ConfigValue at = block.get(e.field());
            throw new ConfigException.BadValue(at == null ? block.origin() : at.origin(), field, e.getMessage());
        } catch (ConfigException.WrongType e) {
            throw new ConfigException.BadValue(block.origin(), path, e.getMessage());
        }
    }

    private static String required(Config c, String key, String path) {
        if (!c.hasPath(key)) {
            throw new ConfigException.BadValue(c.root().origin(), path + "." + key, "required");
        }
        return c.getString(key);
    }

    private static JsonNode params(Config c, String path) {
        if (c.getValue("params").valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException.BadValue(c.getValue("params").origin(), path + ".params", "must be an object { ... }");
        }
        try {
            return JobCodec.mapper().readTree(c.getObject("params").render(ConfigRenderOptions.concise()));
        } catch (java.io.IOException e) {
            throw new ConfigException.BadValue(c.getValue("params").origin(), path + ".params", "cannot be read as JSON: " + e.getMessage());
        }
    }
}
