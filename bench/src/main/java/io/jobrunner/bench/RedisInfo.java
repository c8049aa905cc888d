package io.jobrunner.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed {@code INFO} reply: {@code key:value} lines, and the {@code cmdstat_*} lines of the
 * commandstats section as per-command call counts and microseconds.
 */
public record RedisInfo(Map<String, String> fields, Map<String, CommandStat> commands) {

    /** Calls and total microseconds of one command (scripts are counted as evalsha/eval). */
    public record CommandStat(long calls, long usec) {
    }

    public static RedisInfo parse(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, CommandStat> commands = new LinkedHashMap<>();
        for (String raw : info.split("\r?\n")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (key.startsWith("cmdstat_")) {
                commands.put(key.substring("cmdstat_".length()), parseStat(value));
            } else {
                fields.put(key, value);
            }
        }
        return new RedisInfo(fields, commands);
    }

    public long asLong(String key) {
        String v = fields.get(key);
        return v == null ? 0 : Long.parseLong(v);
    }

    public double asDouble(String key) {
        String v = fields.get(key);
        return v == null ? 0 : Double.parseDouble(v);
    }

    public String get(String key) {
        return fields.getOrDefault(key, "");
    }

    /** CPU seconds Redis used so far, user plus system, all threads. */
    public double cpuSeconds() {
        return asDouble("used_cpu_user") + asDouble("used_cpu_sys");
    }

    /** Per-command calls since {@code before} (commands with no new calls are left out). */
    public Map<String, Long> callsSince(RedisInfo before) {
        Map<String, Long> out = new LinkedHashMap<>();
        commands.forEach((cmd, stat) -> {
            long prev = before.commands.getOrDefault(cmd, new CommandStat(0, 0)).calls();
            if (stat.calls() > prev) {
                out.put(cmd, stat.calls() - prev);
            }
        });
        return out;
    }

    /** Microseconds Redis spent in {@code command} since {@code before} (for evalsha: whole scripts). */
    public long usecSince(RedisInfo before, String command) {
        long now = commands.getOrDefault(command, new CommandStat(0, 0)).usec();
        return now - before.commands.getOrDefault(command, new CommandStat(0, 0)).usec();
    }

    private static CommandStat parseStat(String value) {
        long calls = 0;
        long usec = 0;
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = part.substring(0, eq);
            String v = part.substring(eq + 1);
            if (k.equals("calls")) {
                calls = Long.parseLong(v);
            } else if (k.equals("usec")) {
                usec = Long.parseLong(v);
            }
        }
        return new CommandStat(calls, usec);
    }
}
