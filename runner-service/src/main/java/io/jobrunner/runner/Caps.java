package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;

import java.util.HashMap;
import java.util.Map;

/**
 * Concurrency caps by name ({@code jobrunner.runner.concurrency.per-type} or {@code per-domain}): the most
 * jobs of one type (or of one domain) this runner runs at once, across all groups. {@code "*"} caps every
 * name not listed, each on its own.
 *
 * @param byName   name to cap
 * @param fallback the {@code "*"} cap; 0 when there is none (unlimited)
 */
public record Caps(Map<String, Integer> byName, int fallback) {

    public static final Caps NONE = new Caps(Map.of(), 0);

    public Caps {
        byName = Map.copyOf(byName);
    }

    /** The cap for {@code name}, or 0 when it has none. */
    public int capOf(String name) {
        return byName.getOrDefault(name, fallback);
    }

    public boolean isEmpty() {
        return byName.isEmpty() && fallback == 0;
    }

    static Caps read(Config root, String path, String what) {
        Map<String, Integer> byName = new HashMap<>();
        int fallback = 0;
        for (Map.Entry<String, ConfigValue> e : root.getObject(path).entrySet()) {
            String name = e.getKey();
            String entryPath = path + "." + ConfigUtil.joinPath(name);
            if (!name.equals("*") && !name.matches("[A-Za-z0-9_.-]{1,128}")) {
                throw new ConfigException.BadValue(e.getValue().origin(), entryPath,
                        "keys are " + what + " names (1 to 128 of A-Z a-z 0-9 _ . -) or \"*\"");
            }
            int cap = root.getInt(entryPath);
            if (cap < 1) {
                throw new ConfigException.BadValue(e.getValue().origin(), entryPath,
                        "must be at least 1 (to stop serving a type, exclude it from the groups), was " + cap);
            }
            if (name.equals("*")) {
                fallback = cap;
            } else {
                byName.put(name, cap);
            }
        }
        return new Caps(byName, fallback);
    }
}
