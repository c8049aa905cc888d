package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;
import java.util.Locale;

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

    /** A duration for people: {@code 850ms}, {@code 4.2s}, {@code 7m12s}, {@code 3h05m} (never ISO {@code PT4.2S}). */
    public static String human(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
