package io.jobrunner.runner;

import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.runner.executor.JobExecutor;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the executor for a job type: what the runner asks before running a job. A type with none is
 * abandoned at once with a reason. Implementations are thread-safe; the runner does not close them (whoever
 * built the executors does).
 * <p>
 * Production wires the configured executors ({@code jobrunner.executors}, {@link #of(ExecutorRegistry)});
 * tests and embedders register in-process ones with {@link #of(Map)}.
 */
@FunctionalInterface
public interface ExecutorLookup {

    /** The executor for {@code type}, or empty when the type has none. */
    Optional<JobExecutor> find(String type);

    /** Executors by exact type, with {@code "*"} as the fallback for other types. */
    static ExecutorLookup of(Map<String, ? extends JobExecutor> byType) {
        Map<String, JobExecutor> copy = new HashMap<>(byType);
        JobExecutor fallback = copy.get("*");
        return type -> Optional.ofNullable(copy.getOrDefault(type, fallback));
    }

    /** The executors configured in {@code jobrunner.executors}, built by {@link ExecutorRegistry#load}. */
    static ExecutorLookup of(ExecutorRegistry registry) {
        return registry::forType;
    }

    /** No executors at all: every job is abandoned with a reason. */
    static ExecutorLookup none() {
        return type -> Optional.empty();
    }
}
