package io.jobrunner.cli;

import com.typesafe.config.Config;
import io.jobrunner.chron.Chron;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.dashboard.DashboardSettings;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.runner.executor.CommandExecutorFactory;
import io.jobrunner.runner.executor.ExecutorFactory;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.runner.executor.JobExecutor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Validates the daemons' own config sections with the same code the daemons run at start, so
 * {@code check-config} accepts what they accept, without connecting to Redis:
 * <ul>
 *   <li>runner: its settings (at least one enabled group) and every executor block, checked by its factory
 *       ({@link ExecutorFactory#validate}); a command executor's program must exist and be executable here (on
 *       {@code PATH} for a bare name);</li>
 *   <li>chron: its section, the recurring schedules ({@code jobrunner.schedules}) and the dashboard's section
 *       (the chron serves the dashboard with {@code with-chron}; {@code jobrunner dashboard} reads the same).</li>
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
            RunnerSettings.from(config);
            Map<String, ExecutorFactory> factories = new LinkedHashMap<>();
            ExecutorRegistry.factories(ConfigSections.class.getClassLoader()).forEach((kind, factory) -> factories.put(kind,
                    factory instanceof CommandExecutorFactory ? new ProgramChecked(factory, searchPath) : factory));
            ExecutorRegistry.validate(config.getConfig(RunnerCommand.EXECUTORS), RunnerCommand.EXECUTORS, factories);
        }
        if (daemon != Daemon.RUNNER) {
            ChronSettings.from(config);
            Chron.schedules(config);
            DashboardSettings.from(config);
        }
    }

    /** The command factory, plus: the program the block names is there to run. */
    private record ProgramChecked(ExecutorFactory delegate, String searchPath) implements ExecutorFactory {

        @Override
        public Set<String> kinds() {
            return delegate.kinds();
        }

        @Override
        public JobExecutor create(String kind, Config config, String path) {
            return delegate.create(kind, config, path);
        }

        @Override
        public void validate(String kind, Config config, String path) {
            delegate.validate(kind, config, path);
            CommandExecutorFactory.requireProgram(config, path, searchPath);
        }
    }
}
