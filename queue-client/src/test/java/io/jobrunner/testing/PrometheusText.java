package io.jobrunner.testing;

import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@code /metrics} page read by a Prometheus text-format parser, the way a scraper reads it. */
public record PrometheusText(List<MetricFamily> families) {

    public static PrometheusText parse(String text) {
        CollectorPrometheusMetricsWalker walker = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), walker).walk();
        return new PrometheusText(List.copyOf(walker.getAllMetricFamilies()));
    }

    /** The family of this name (as the parser names it), if the page has it. */
    public Optional<MetricFamily> family(String name) {
        return families.stream().filter(f -> f.getName().equals(name)).findFirst();
    }

    /** Families by name; the parser keeps them in page order. */
    public Map<String, MetricFamily> byName() {
        Map<String, MetricFamily> out = new LinkedHashMap<>();
        families.forEach(f -> out.put(f.getName(), f));
        return out;
    }

    /** The series of a family whose labels include all of {@code labels}. */
    public List<Metric> series(String family, Map<String, String> labels) {
        return family(family).map(f -> f.getMetrics().stream()
                .filter(m -> m.getLabels().entrySet().containsAll(labels.entrySet())).toList()).orElse(List.of());
    }
}
