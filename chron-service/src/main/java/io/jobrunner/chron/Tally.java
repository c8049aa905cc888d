package io.jobrunner.chron;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one run of a duty did: counts by name, each also marked on its counter (labelled with the job type). */
final class Tally {

    private final ChronMetrics metrics;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    Tally(ChronMetrics metrics) {
        this.metrics = metrics;
    }

    /** Adds {@code n} of {@code count} for a job type (marked on its counter, labelled with the type). */
    void add(String count, String type, long n) {
        if (n > 0) {
            counts.merge(count, n, Long::sum);
            metrics.mark(count, type, n);
        }
    }

    /** One repair of this kind (a count of its own, and one more repaired). */
    void repaired(String kind, String type) {
        counts.merge(kind, 1L, Long::sum);
        counts.merge(ChronMetrics.REPAIRED, 1L, Long::sum);
        metrics.repaired(kind, type);
    }

    /** A count that is no metric (queues visited, pages read). */
    void note(String count, long n) {
        counts.merge(count, n, Long::sum);
    }

    Map<String, Long> counts() {
        return Map.copyOf(counts);
    }
}
