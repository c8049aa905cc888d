package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;

/** Reading durations that must be positive, with the full HOCON path in the error. */
public final class Durations {

    private Durations() {
    }

    /** The duration at {@code path}; zero or more (zero usually meaning "none"). */
    public static Duration nonNegative(Config root, String path) {
        Duration d = root.getDuration(path);
        if (d.isNegative()) {
            throw new ConfigException.BadValue(root.getValue(path).origin(), path,
                    "must be zero or a positive duration such as 30s, 10m or 1d, was " + d);
        }
        return d;
    }

    /** The duration at {@code path} (read from the root config, so errors name the full path); must be positive. */
    public static Duration positive(Config root, String path) {
        Duration d = root.getDuration(path);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException.BadValue(root.getValue(path).origin(), path,
                    "must be a positive duration such as 500ms, 5s or 1h, was " + d);
        }
        return d;
    }
}
