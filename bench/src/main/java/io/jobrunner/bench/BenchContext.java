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
}
