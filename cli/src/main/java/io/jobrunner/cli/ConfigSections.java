package io.jobrunner.cli;

import com.typesafe.config.Config;

/**
 * Validates the daemons' own config sections (runner groups and executors, chron), with the same code the
 * daemons run at start, so {@code check-config} accepts exactly what they accept.
 */
final class ConfigSections {

    private ConfigSections() {
    }

    static void validate(Config config) {
        // The runner's and the chron's sections are wired here once those modules land.
    }
}
