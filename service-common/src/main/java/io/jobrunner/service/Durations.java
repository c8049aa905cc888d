package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;

/** Reading durations that must be positive, with the full HOCON path in the error. */
public final class Durations {

    private Durations() {
    }

    /** {@code section.key}, which must be a positive duration ("500ms", "5s", "1h"). */
    public static Duration positive(Config section, String sectionPath, String key) {
        Duration d = section.getDuration(key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException.BadValue(section.getValue(key).origin(), sectionPath + "." + key,
                    "must be a positive duration such as 500ms, 5s or 1h, was " + d);
        }
        return d;
    }
}
