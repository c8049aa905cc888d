package io.jobrunner.bench;

/** One benchmark scenario: runs its passes (warm-up, then repeats) and adds its metrics to the results. */
public interface Scenario {

    /** The name used by {@code --scenarios} and in the table. */
    String name();

    void run(BenchContext context) throws Exception;
}
