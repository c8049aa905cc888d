package io.jobrunner.mediawiki;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.service.metrics.MetricName;

/** Test reads of labelled meters: the sum over every series of a family whose labels include the given ones. */
public final class RegistryCounts {

    private RegistryCounts() {
    }

    /** @param labels name, value, name, value, ... that each counted series carries */
    public static long sum(MetricRegistry registry, String family, String... labels) {
        long total = 0;
        for (var e : registry.getMeters().entrySet()) {
            MetricName name = MetricName.parseLenient(e.getKey());
            if (name.base().equals(family) && carries(name, labels)) {
                total += e.getValue().getCount();
            }
        }
        return total;
    }

    private static boolean carries(MetricName name, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            int at = name.labelNames().indexOf(labels[i]);
            if (at < 0 || !name.labelValues().get(at).equals(labels[i + 1])) {
                return false;
            }
        }
        return true;
    }
}
