package io.jobrunner.cli;

import com.typesafe.config.Config;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.runner.executor.ExecutorRegistry;

/**
 * Validates the daemons' own config sections (runner groups and executors, chron), with the same code the
 * daemons run at start, so {@code check-config} accepts exactly what they accept: for the runner, its groups
 * (at least one enabled) and every executor block, built and closed; for the chron, its section.
 */
final class ConfigSections {

    private ConfigSections() {
    }

    /** Which daemon's sections to check. */
    enum Daemon { RUNNER, CHRON, ALL }

    static void validate(Config config, Daemon daemon) {
        if (daemon != Daemon.CHRON) {
            RunnerSettings.from(config);
            try (ExecutorRegistry executors = ExecutorRegistry.load(config.getConfig(RunnerCommand.EXECUTORS), RunnerCommand.EXECUTORS)) {
                // built and closed: a bad executor block fails here with its path
            }
        }
        if (daemon != Daemon.RUNNER) {
            ChronSettings.from(config);
        }
    }
}
