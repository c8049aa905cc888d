package io.jobrunner.cli;

import com.typesafe.config.Config;
import io.jobrunner.chron.ChronDaemon;
import io.jobrunner.dashboard.DashboardSettings;
import io.jobrunner.runner.RunnerDaemon;

/**
 * Validates the daemons' own config sections with the same code the daemons run at start, so
 * {@code check-config} accepts what they accept, without connecting to Redis:
 * <ul>
 *   <li>runner: {@link RunnerDaemon#validate}: its settings (at least one enabled group), the limits, and every
 *       executor block checked by its factory; a command executor's program must exist and be executable here (on
 *       {@code PATH} for a bare name);</li>
 *   <li>chron: {@link ChronDaemon#validate}: its section, the limits and the recurring schedules
 *       ({@code jobrunner.schedules}); and the dashboard's section (the chron serves the dashboard with
 *       {@code with-chron}; {@code jobrunner dashboard} reads the same).</li>
 * </ul>
 */
final class ConfigSections {

    /** Which daemon's sections to check. */
    enum Daemon { RUNNER, CHRON, ALL }

    private ConfigSections() {
    }

    /** @param searchPath the PATH a command executor's bare program name is looked up on */
    static void validate(Config config, Daemon daemon, String searchPath) {
        if (daemon != Daemon.CHRON) {
            RunnerDaemon.validate(config, searchPath);
        }
        if (daemon != Daemon.RUNNER) {
            new ChronDaemon().validate(config);
            DashboardSettings.from(config);
        }
    }
}
