package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.jobrunner.client.RateLimit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cluster-wide rate limits by name ({@code jobrunner.runner.rate-limits.per-type}, {@code per-domain} or
 * {@code per-queue}), each entry {@code { limit = 100, per = 1s, burst = 5 }}; {@code "*"} limits every name
 * not listed, each on its own bucket.
 *
 * @param byName   name to limit
 * @param fallback the {@code "*"} limit; null when there is none
 */
record RateRules(Map<String, RateLimit> byName, RateLimit fallback) {

    static final RateRules NONE = new RateRules(Map.of(), null);
    private static final Set<String> KEYS = Set.of("limit", "per", "burst");

    RateRules {
        byName = Map.copyOf(byName);
    }

    /** The limit of {@code name}, or null when it has none. */
    RateLimit of(String name) {
        RateLimit limit = byName.get(name);
        return limit != null ? limit : fallback;
    }

    boolean isEmpty() {
        return byName.isEmpty() && fallback == null;
    }

    static RateRules read(Config root, String path, String what) {
        Map<String, RateLimit> byName = new HashMap<>();
        RateLimit fallback = null;
        for (Map.Entry<String, ConfigValue> e : root.getObject(path).entrySet()) {
            String name = e.getKey();
            String entryPath = path + "." + ConfigUtil.joinPath(name);
            if (!name.equals("*") && !name.matches("[A-Za-z0-9_.-]{1,128}")) {
                throw new ConfigException.BadValue(e.getValue().origin(), entryPath,
                        "keys are " + what + " names (1 to 128 of A-Z a-z 0-9 _ . -) or \"*\"");
            }
            RateLimit limit = readOne(root, entryPath, e.getValue());
            if (name.equals("*")) {
                fallback = limit;
            } else {
                byName.put(name, limit);
            }
        }
        return new RateRules(byName, fallback);
    }

    /**
     * A twentieth of the limit (at least 1): claims that come a little late (a busy runner, a slow round trip)
     * catch up instead of losing their tokens, and any one period still holds at most 5% over the limit.
     */
    static int defaultBurst(int limit) {
        return Math.max(1, limit / 20);
    }

    private static RateLimit readOne(Config root, String path, ConfigValue value) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException.BadValue(value.origin(), path, "must be an object such as { limit = 100, per = 1s }");
        }
        for (String key : root.getObject(path).keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException.BadValue(value.origin(), path + "." + ConfigUtil.joinPath(key),
                        "unknown key; allowed here: burst, limit, per");
            }
        }
        if (!root.hasPath(path + ".limit")) {
            throw new ConfigException.BadValue(value.origin(), path + ".limit", "is missing: the most jobs started per period, e.g. 100");
        }
        int limit = root.getInt(path + ".limit");
        if (limit < 1) {
            throw new ConfigException.BadValue(value.origin(), path + ".limit", "must be at least 1, was " + limit);
        }
        Duration per = root.hasPath(path + ".per") ? root.getDuration(path + ".per") : Duration.ofSeconds(1);
        if (per.toMillis() < 1) {
            throw new ConfigException.BadValue(value.origin(), path + ".per", "must be at least 1ms, was " + per);
        }
        if (per.toNanos() / 1000.0 / limit < 1.0) {
            throw new ConfigException.BadValue(value.origin(), path + ".limit",
                    "must be at most one job per microsecond of its period (" + per + "), was " + limit);
        }
        int burst = root.hasPath(path + ".burst") ? root.getInt(path + ".burst") : defaultBurst(limit);
        if (burst < 1 || burst > limit) {
            throw new ConfigException.BadValue(value.origin(), path + ".burst", "must be 1 to the limit (" + limit + "), was " + burst);
        }
        return new RateLimit(limit, per, burst);
    }
}
