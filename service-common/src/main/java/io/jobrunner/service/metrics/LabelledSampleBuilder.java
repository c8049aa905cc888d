package io.jobrunner.service.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus bridge's name mapping: a registry name built by {@link MetricName} becomes its base name
 * (plus the bridge's suffix, e.g. {@code _total} for a meter) with its labels, so the series of one family
 * (one per job type, group, duty, ...) share one name and differ by labels.
 */
final class LabelledSampleBuilder implements SampleBuilder {

    @Override
    public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix, List<String> additionalLabelNames,
                                                             List<String> additionalLabelValues, double value) {
        MetricName name = MetricName.parseLenient(dropwizardName);
        List<String> labelNames = new ArrayList<>(name.labelNames());
        List<String> labelValues = new ArrayList<>(name.labelValues());
        labelNames.addAll(additionalLabelNames);
        labelValues.addAll(additionalLabelValues);
        return new Collector.MetricFamilySamples.Sample(name.base() + (nameSuffix == null ? "" : nameSuffix), labelNames, labelValues, value);
    }
}
