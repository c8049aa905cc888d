package io.jobrunner.cli;

import com.typesafe.config.Config;
import io.jobrunner.chron.Chron;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.dashboard.DashboardSettings;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.runner.executor.CommandExecutorFactory;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.ExecutorFactory;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.runner.executor.ExecutorServices;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.runner.git.GitExecutorFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Validates the daemons' own config sections with the same code the daemons run at start, so
 * {@code check-config} accepts what they accept, without connecting to Redis:
 * <ul>
 *   <li>runner: its settings (at least one enabled group) and every executor block, built and closed; a command
 *       executor's program must exist and be executable here (on {@code PATH} for a bare name). The git
 *       kinds need the runner's Redis client to be built (their repository locks); their factory validates
 *       the block first, so here a block of theirs counts as valid once that validation passed;</li>
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
                    factory instanceof GitExecutorFactory ? new ValidateOnly(factory)
                            : factory instanceof CommandExecutorFactory ? new ProgramChecked(factory, searchPath) : factory));
            try (ExecutorRegistry executors = ExecutorRegistry.load(config.getConfig(RunnerCommand.EXECUTORS), RunnerCommand.EXECUTORS, factories)) {
                // built and closed: a bad executor block failed above with its path
            }
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
            JobExecutor executor = delegate.create(kind, config, path);
            CommandExecutorFactory.requireProgram(config, path, searchPath);
            return executor;
        }
    }

    /** A factory whose executors need the runner's services: validates the block, builds nothing that runs. */
    private record ValidateOnly(ExecutorFactory delegate) implements ExecutorFactory {

        @Override
        public Set<String> kinds() {
            return delegate.kinds();
        }

        @Override
        public JobExecutor create(String kind, Config config, String path) {
            try {
                delegate.create(kind, config, path).close();
            } catch (IllegalStateException needsServices) {
                // the block was validated before the factory asked for the runner's client
            }
            return context -> ExecutionResult.permanentFailure("check-config only");
        }

        @Override
        public JobExecutor create(String kind, Config config, String path, ExecutorServices services) {
            return delegate.create(kind, config, path, services);
        }
    }
}
