package io.jobrunner.service.metrics;

import java.util.List;

/**
 * One Prometheus family a daemon exports: what the HELP line says and what the README's metrics table
 * lists. Each daemon keeps its specs beside the code that records them.
 *
 * @param name   the family name ({@code jobrunner_jobs_succeeded_total}: with {@code _total} for a counter)
 * @param type   counter, gauge or histogram
 * @param labels the labels every series of the family carries
 * @param help   one sentence, with the unit where there is one
 */
public record MetricSpec(String name, Type type, List<String> labels, String help) {

    public enum Type { COUNTER, GAUGE, HISTOGRAM }

    public MetricSpec {
        labels = List.copyOf(labels);
        if (type == Type.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends with _total: " + name);
        }
    }

    public static MetricSpec counter(String name, String help, String... labels) {
        return new MetricSpec(name, Type.COUNTER, List.of(labels), help);
    }

    public static MetricSpec gauge(String name, String help, String... labels) {
        return new MetricSpec(name, Type.GAUGE, List.of(labels), help);
    }

    public static MetricSpec histogram(String name, String help, String... labels) {
        return new MetricSpec(name, Type.HISTOGRAM, List.of(labels), help);
    }

    /** The name Prometheus' text format gives the family in its HELP and TYPE lines. */
    public String familyName() {
        return type == Type.COUNTER ? name.substring(0, name.length() - "_total".length()) : name;
    }
}
