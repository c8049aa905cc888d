package io.jobrunner.mediawiki;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * {@code jobrunner.mediawiki.limits}: per job type, {@code "*"} being the default (the legacy
 * {@code limits.{attempts,claimTTL,real,memory}}).
 *
 * @param attempts       runs a job gets before an expired claim is abandoned (>= 1)
 * @param claimTtl       how long a claim lasts before the chron recycles it (whole seconds)
 * @param processTimeout longest one batch of the type may run
 * @param memory         passed as {@code --memory-limit}
 */
public record MwLimits(Map<String, Integer> attempts, Map<String, Duration> claimTtl, Map<String, Duration> processTimeout,
                       Map<String, String> memory) {

    static final String PATH = MwSettings.PATH + ".limits";
    private static final Pattern MEMORY = Pattern.compile("-1|[0-9]+[KMGkmg]?");

    public MwLimits {
        attempts = Map.copyOf(attempts);
        claimTtl = Map.copyOf(claimTtl);
        processTimeout = Map.copyOf(processTimeout);
        memory = Map.copyOf(memory);
    }

    static MwLimits from(Config root) {
        Map<String, Integer> attempts = perType(root, "attempts", (c, key) -> {
            int n = c.getInt(key);
            if (n < 1) {
                throw new IllegalArgumentException("must be at least 1 (runs a job gets), was " + n);
            }
            return n;
        });
        Map<String, Duration> claimTtl = perType(root, "claim-ttl", (c, key) -> {
            Duration d = c.getDuration(key);
            if (d.toMillis() % 1000 != 0 || d.toSeconds() < 1) {
                throw new IllegalArgumentException("must be whole seconds, at least 1s (MediaWiki stores claim times in seconds), was " + d);
            }
            return d;
        });
        Map<String, Duration> processTimeout = perType(root, "process-timeout", (c, key) -> {
            Duration d = c.getDuration(key);
            if (d.toMillis() < 1000) {
                throw new IllegalArgumentException("must be at least 1s, was " + d);
            }
            return d;
        });
        Map<String, String> memory = perType(root, "memory", (c, key) -> {
            String m = c.getString(key);
            if (!MEMORY.matcher(m).matches()) {
                throw new IllegalArgumentException("must be PHP shorthand like 300M, 1G or -1, was '" + m + "'");
            }
            return m;
        });
        return new MwLimits(attempts, claimTtl, processTimeout, memory);
    }

    private static <T> Map<String, T> perType(Config root, String name, BiFunction<Config, String, T> read) {
        String path = PATH + "." + name;
        ConfigObject object = root.getObject(path);
        Config c = object.toConfig();
        Map<String, T> values = new LinkedHashMap<>();
        for (String type : object.keySet()) {
            String key = com.typesafe.config.ConfigUtil.joinPath(type);
            try {
                values.put(type, read.apply(c, key));
            } catch (IllegalArgumentException | ConfigException.WrongType e) {
                throw new ConfigException.BadValue(object.get(type).origin(), path + "." + key, e.getMessage());
            }
        }
        if (!values.containsKey("*")) {
            throw new ConfigException.BadValue(object.origin(), path, "must have a \"*\" entry (the default of every other type)");
        }
        return values;
    }

    public int attempts(String type) {
        return attempts.getOrDefault(type, attempts.get("*"));
    }

    public Duration claimTtl(String type) {
        return claimTtl.getOrDefault(type, claimTtl.get("*"));
    }

    public Duration processTimeout(String type) {
        return processTimeout.getOrDefault(type, processTimeout.get("*"));
    }

    public String memory(String type) {
        return memory.getOrDefault(type, memory.get("*"));
    }
}
