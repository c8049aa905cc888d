package io.jobrunner.runner.executor;

import com.typesafe.config.Config;
import io.jobrunner.service.metrics.MetricSpec;

import java.util.List;
import java.util.Set;

/**
 * Builds executors of some kinds from their config block ({@code executors.<type> { kind = ..., ... }}).
 * Found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.jobrunner.runner.executor.ExecutorFactory}), so built-in kinds and plugins
 * are found the same way.
 */
public interface ExecutorFactory {

    /** The {@code kind} values this factory builds, e.g. {@code command}. */
    Set<String> kinds();

    /**
     * Validates the block and builds the executor. A bad value throws
     * {@link com.typesafe.config.ConfigException} naming the HOCON path and what is allowed.
     *
     * @param kind   one of {@link #kinds()}
     * @param config the executor's block; {@code config.origin()} and paths are relative to it
     * @param path   the block's full HOCON path, e.g. {@code jobrunner.executors.sendMail}, for messages
     */
    JobExecutor create(String kind, Config config, String path);

    /**
     * Builds the executor with the runner's shared services (Redis client, metric registry). The runner
     * calls this one; factories that need no services keep the default, which delegates to
     * {@link #create(String, Config, String)}.
     */
    default JobExecutor create(String kind, Config config, String path, ExecutorServices services) {
        return create(kind, config, path);
    }

    /**
     * Checks the block as {@link #create} would, without building anything that runs or needs the runner's
     * services: what {@code jobrunner check-config} calls. A bad value throws
     * {@link com.typesafe.config.ConfigException} naming the HOCON path. The default builds the executor with
     * {@link #create(String, Config, String)} and closes it; a factory whose executors need the runner's
     * services overrides it.
     */
    default void validate(String kind, Config config, String path) {
        create(kind, config, path).close();
    }

    /**
     * The metric families this factory's executors record, with their HELP: the runner serves them on
     * {@code /metrics} beside its own. None by default.
     */
    default List<MetricSpec> metricSpecs() {
        return List.of();
    }
}
