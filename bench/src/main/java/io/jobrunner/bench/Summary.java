package io.jobrunner.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, min and max of the repeats of one measurement.
 *
 * @param median  the median of the samples (mean of the two middle ones for an even count)
 * @param min     the smallest sample
 * @param max     the largest sample
 * @param samples every sample, in the order measured
 */
public record Summary(double median, double min, double max, List<Double> samples) {

    public Summary {
        samples = List.copyOf(samples);
    }

    public static Summary of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a summary needs at least one sample");
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Summary(median, sorted.get(0), sorted.get(n - 1), samples);
    }

    public static Summary single(double value) {
        return of(List.of(value));
    }
}
