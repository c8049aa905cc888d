package io.jobrunner.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs a measurement pass once to warm up (result dropped), then {@code repeats} times, logging each. */
public final class Repeats {

    /** One measurement pass; {@code index} is 0 for the warm-up, then 1..repeats. */
    @FunctionalInterface
    public interface Pass<T> {
        T run(int index) throws Exception;
    }

    private Repeats() {
    }

    public static <T> List<T> run(String label, int repeats, PrintStream log, Pass<T> pass) throws Exception {
        long start = System.nanoTime();
        T warm = pass.run(0);
        log.printf("  %-40s warm-up   %s%n", label, warm);
        List<T> out = new ArrayList<>(repeats);
        for (int i = 1; i <= repeats; i++) {
            T result = pass.run(i);
            log.printf("  %-40s repeat %d  %s%n", label, i, result);
            out.add(result);
        }
        log.printf("  %-40s done in %.1f s%n", label, (System.nanoTime() - start) / 1e9);
        return out;
    }

    /** The summary of one number taken from each result. */
    public static <T> Summary summary(List<T> results, Function<T, Double> value) {
        List<Double> values = new ArrayList<>(results.size());
        for (T r : results) {
            values.add(value.apply(r));
        }
        return Summary.of(values);
    }
}
