package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.CommandExecutorFactory;
import io.jobrunner.runner.executor.ExecutorFactory;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.DaemonLifecycle;
import io.jobrunner.service.HttpEndpoint;
import io.jobrunner.service.Limits;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The runner as a daemon ({@link DaemonLifecycle}), for {@code jobrunner runner} and {@link RunnerMain} alike.
 * Its config check, before Redis is touched: the runner and limits sections, and every executor block of
 * {@code jobrunner.executors} through its factory's {@link ExecutorFactory#validate}, a command executor's
 * program included (it must be an executable file, on the search path for a bare name). The executors are built
 * once connected (some need the Redis client) by {@link Runner#create(Config, JobRunnerClient, MetricRegistry)}.
 */
public final class RunnerDaemon implements DaemonLifecycle.Kind<Runner> {

    private final String searchPath;

    /** @param searchPath the PATH a command executor's bare program name is looked up on */
    public RunnerDaemon(String searchPath) {
        this.searchPath = searchPath;
    }

    /** The check {@code jobrunner check-config} and the daemon's start share; throws a ConfigException naming the path. */
    public static void validate(Config config, String searchPath) {
        RunnerSettings.from(config);
        Limits.from(config);
        Map<String, ExecutorFactory> factories = new LinkedHashMap<>();
        ExecutorRegistry.factories(RunnerDaemon.class.getClassLoader()).forEach((kind, factory) -> factories.put(kind,
                factory instanceof CommandExecutorFactory ? new ProgramChecked(factory, searchPath) : factory));
        ExecutorRegistry.validate(config.getConfig(Runner.EXECUTORS), Runner.EXECUTORS, factories);
    }

    @Override
    public String name() {
        return "runner";
    }

    @Override
    public void validate(Config config) {
        validate(config, searchPath);
    }

    @Override
    public HttpEndpoint.Settings http(Config config) {
        return RunnerSettings.from(config).http();
    }

    @Override
    public Runner start(Config config, JobRunnerClient client, MetricRegistry metrics) {
        return Runner.create(config, client, metrics).start();
    }

    @Override
    public CompletableFuture<String> failure(Runner runner) {
        return runner.failure();
    }

    @Override
    public void stop(Runner runner) {
        runner.stop();
    }

    @Override
    public String title(Runner runner) {
        return "runner " + runner.id();
    }

    @Override
    public int httpPort(Runner runner) {
        return runner.httpPort();
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
