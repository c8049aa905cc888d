package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code jobrunner.limits}: per job type attempts, claim TTL, run timeout, retry backoff, the longest retry delay a
 * job may ask for (an HTTP {@code Retry-After}) and expire-after (zero: jobs of the type do not expire unless they
 * carry their own expireAt), each with a {@code "*"} default. Keys must be job type names ({@code [A-Za-z0-9_.-]})
 * or {@code "*"}.
 */
public record Limits(PerType<Integer> attempts, PerType<Duration> claimTtl, PerType<Duration> timeout, PerType<Backoff> backoff,
                     PerType<Duration> retryAfterMax, PerType<Duration> expireAfter) {

    private static final String PATH = "jobrunner.limits";

    public static Limits from(Config root) {
        PerType<Integer> attempts = perType(root, "attempts", path -> {
            int n = root.getInt(path);
            if (n < 1) {
                throw new ConfigException.BadValue(root.getValue(path).origin(), path, "must be at least 1, was " + n);
            }
            return n;
        });
        PerType<Duration> claimTtl = perType(root, "claim-ttl", path -> {
            Duration d = Durations.positive(root, path);
            if (d.toMillis() < 300) {
                throw new ConfigException.BadValue(root.getValue(path).origin(), path,
                        "must be at least 300ms (heartbeats run every third of it), was " + d);
            }
            return d;
        });
        PerType<Duration> timeout = perType(root, "timeout", path -> Durations.positive(root, path));
        PerType<Backoff> backoff = perType(root, "backoff", path -> {
            Duration initial = Durations.positive(root, path + ".initial");
            Duration max = Durations.positive(root, path + ".max");
            if (max.compareTo(initial) < 0) {
                throw new ConfigException.BadValue(root.getValue(path + ".max").origin(), path + ".max",
                        "must be at least initial (" + initial + "), was " + max);
            }
            return new Backoff(initial, max);
        });
        PerType<Duration> retryAfterMax = perType(root, "retry-after-max", path -> Durations.positive(root, path));
        PerType<Duration> expireAfter = perType(root, "expire-after", path -> Durations.nonNegative(root, path));
        return new Limits(attempts, claimTtl, timeout, backoff, retryAfterMax, expireAfter);
    }

    private static <T> PerType<T> perType(Config root, String name, Function<String, T> read) {
        ConfigObject object = root.getObject(PATH + "." + name);
        Map<String, T> byType = new HashMap<>();
        T fallback = null;
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String type = entry.getKey();
            String key = ConfigUtil.joinPath(type); // quoted only when it must be, like "*"
            if (!type.equals("*") && !type.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}")) {
                throw new ConfigException.BadValue(entry.getValue().origin(), PATH + "." + name + "." + key,
                        "a job type name (1 to 128 of A-Z a-z 0-9 _ . -, not starting with -) or \"*\"");
            }
            T value = read.apply(PATH + "." + name + "." + key);
            if (type.equals("*")) {
                fallback = value;
            } else {
                byType.put(type, value);
            }
        }
        if (fallback == null) {
            throw new ConfigException.Missing(object.origin(), PATH + "." + name + ".\"*\"");
        }
        return new PerType<>(byType, fallback);
    }
}
