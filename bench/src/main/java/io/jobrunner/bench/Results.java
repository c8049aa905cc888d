package io.jobrunner.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything one bench run measured, in the order measured:
 * <ol>
 *   <li>the metrics (one table line each);</li>
 *   <li>details per scenario (grids, key encodings, command counts), written to the JSON file;</li>
 *   <li>series for the plots: throughput per slot count, latency distributions;</li>
 *   <li>the targets, once evaluated.</li>
 * </ol>
 */
public final class Results {

    private final List<Metric> metrics = new ArrayList<>();
    private final Map<String, Map<String, Object>> details = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, Summary>> throughputBySlots = new LinkedHashMap<>();
    private final Map<String, long[]> latencies = new LinkedHashMap<>();
    private final List<TargetResult> targets = new ArrayList<>();

    public synchronized Metric add(String scenario, String name, String unit, Summary value, String note) {
        Metric metric = new Metric(scenario, name, unit, value, note == null ? "" : note);
        metrics.add(metric);
        return metric;
    }

    /** Replaces the note of a metric already added. */
    public synchronized void annotate(Metric metric, String note) {
        int i = metrics.indexOf(metric);
        if (i >= 0) {
            metrics.set(i, metric.withNote(note));
        }
    }

    public synchronized Optional<Metric> find(String scenario, String name) {
        return metrics.stream().filter(m -> m.scenario().equals(scenario) && m.name().equals(name)).findFirst();
    }

    /** The first metric of the scenario whose name starts with {@code prefix}. */
    public synchronized Optional<Metric> findPrefix(String scenario, String prefix) {
        return metrics.stream().filter(m -> m.scenario().equals(scenario) && m.name().startsWith(prefix)).findFirst();
    }

    public synchronized void detail(String scenario, String key, Object value) {
        details.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).put(key, value);
    }

    public synchronized void throughput(String series, int slots, Summary jobsPerSecond) {
        throughputBySlots.computeIfAbsent(series, s -> new TreeMap<>()).put(slots, jobsPerSecond);
    }

    /** Keeps a latency distribution (sorted nanoseconds) for the plots. */
    public synchronized void latencies(String series, long[] sortedNanos) {
        latencies.put(series, sortedNanos);
    }

    public synchronized void target(TargetResult target) {
        targets.add(target);
    }

    public synchronized List<Metric> metrics() {
        return List.copyOf(metrics);
    }

    public synchronized Map<String, Map<String, Object>> details() {
        return new LinkedHashMap<>(details);
    }

    public synchronized Map<String, TreeMap<Integer, Summary>> throughputBySlots() {
        return new LinkedHashMap<>(throughputBySlots);
    }

    public synchronized Map<String, long[]> latencies() {
        return new LinkedHashMap<>(latencies);
    }

    public synchronized List<TargetResult> targets() {
        return List.copyOf(targets);
    }
}
