package io.jobrunner.service.metrics;

import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.DropwizardExports;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A daemon's {@link MetricRegistry} as Prometheus families:
 * <ol>
 *   <li>gauges and meters go through the Prometheus Dropwizard bridge with {@link LabelledSampleBuilder}, so
 *       labelled registry names ({@link MetricName}) become one family with labels; meters are counters
 *       ({@code _total});</li>
 *   <li>{@link BucketedTimer}s and {@link BucketedHistogram}s become Prometheus histograms ({@code _bucket},
 *       {@code _sum}, {@code _count}), which the bridge (summaries without a sum) cannot give;</li>
 *   <li>each family gets the HELP text and type of its {@link MetricSpec}.</li>
 * </ol>
 */
public final class PrometheusExport extends Collector {

    private static final MetricFilter BUCKETED = (name, metric) -> bucketed(metric) != null;

    private final MetricRegistry registry;
    private final DropwizardExports bridge;
    private final Map<String, MetricSpec> specs;

    public PrometheusExport(MetricRegistry registry, Collection<MetricSpec> specs) {
        this.registry = registry;
        this.bridge = new DropwizardExports(registry, (name, metric) -> !BUCKETED.matches(name, metric), new LabelledSampleBuilder());
        this.specs = specs.stream().collect(Collectors.toMap(MetricSpec::familyName, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        for (MetricFamilySamples family : bridge.collect()) {
            out.add(described(family));
        }
        Map<String, List<MetricFamilySamples.Sample>> histograms = new LinkedHashMap<>();
        registry.getTimers(BUCKETED).forEach((name, timer) -> addHistogram(histograms, name, bucketed(timer)));
        registry.getHistograms(BUCKETED).forEach((name, histogram) -> addHistogram(histograms, name, bucketed(histogram)));
        histograms.forEach((base, samples) -> out.add(described(new MetricFamilySamples(base, Type.HISTOGRAM, base, samples))));
        return out;
    }

    private static void addHistogram(Map<String, List<MetricFamilySamples.Sample>> families, String registryName, BucketedHistogram h) {
        MetricName name = MetricName.parseLenient(registryName);
        List<MetricFamilySamples.Sample> samples = families.computeIfAbsent(name.base(), b -> new ArrayList<>());
        double[] bounds = h.upperBounds();
        long[] cumulative = h.cumulativeCounts();
        long count = h.getCount();
        for (int i = 0; i < bounds.length; i++) {
            samples.add(sample(name.with("le", Collector.doubleToGoString(bounds[i])), "_bucket", cumulative[i]));
        }
        samples.add(sample(name.with("le", "+Inf"), "_bucket", count));
        samples.add(sample(name, "_count", count));
        samples.add(sample(name, "_sum", h.sum()));
    }

    private static MetricFamilySamples.Sample sample(MetricName name, String suffix, double value) {
        return new MetricFamilySamples.Sample(name.base() + suffix, name.labelNames(), name.labelValues(), value);
    }

    /** The family with its spec's name, type and HELP; unchanged when no spec names it. */
    private MetricFamilySamples described(MetricFamilySamples family) {
        String name = family.type == Type.COUNTER && family.name.endsWith("_total")
                ? family.name.substring(0, family.name.length() - "_total".length()) : family.name;
        MetricSpec spec = specs.get(name);
        if (spec == null) {
            return family;
        }
        return new MetricFamilySamples(spec.familyName(), Type.valueOf(spec.type().name()), spec.help(), family.samples);
    }

    private static BucketedHistogram bucketed(Metric metric) {
        if (metric instanceof BucketedTimer timer) {
            return timer.histogram();
        }
        return metric instanceof BucketedHistogram histogram ? histogram : null;
    }

}
