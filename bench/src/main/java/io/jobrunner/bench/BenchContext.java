package io.jobrunner.bench;

import io.jobrunner.bench.runner.RunnerUnderTest;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * What every scenario gets.
 *
 * @param config  sizes and selection
 * @param redis   the Redis under measurement
 * @param results where the scenario writes what it measured
 * @param runners makes a new, not yet started runner for each pass
 * @param log     progress lines (stderr)
 */
public record BenchContext(BenchConfig config, BenchRedis redis, Results results,
                           Supplier<RunnerUnderTest> runners, PrintStream log) {

    /** The runner measured everywhere, then the ones {@code --compare-runners} adds (drain, e2e, idle). */
    public java.util.List<String> runnerNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(config.runner());
        for (String other : config.compareRunners()) {
            if (!names.contains(other)) {
                names.add(other);
            }
        }
        return names;
    }

    /** The suffix of a metric measured with a compared runner; empty for the main one. */
    public String suffix(String runnerName) {
        return runnerName.equals(config.runner()) ? "" : " (" + runnerName + ")";
    }
}
