package io.jobrunner.service.metrics;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The name of one labelled series, as it is registered in a Dropwizard {@code MetricRegistry}:
 * {@code jobrunner_jobs_succeeded{type=sendMail}}. Dropwizard has no labels, so they travel inside the
 * name; {@link LabelledSampleBuilder} takes them out again for Prometheus. Label values are URL-encoded
 * inside the name, so a value may hold any character ({@code a.b}, {@code a_b} and {@code a-b} stay three
 * series) and the name always parses back to what it was built from.
 *
 * @param base        the Prometheus family name without suffixes ({@code _total}, {@code _bucket}, ...)
 * @param labelNames  label names, in order
 * @param labelValues their values, in the same order
 */
public record MetricName(String base, List<String> labelNames, List<String> labelValues) {

    private static final Pattern BASE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public MetricName {
        if (!BASE.matcher(base).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + base);
        }
        labelNames = List.copyOf(labelNames);
        labelValues = List.copyOf(labelValues);
        if (labelNames.size() != labelValues.size()) {
            throw new IllegalArgumentException(base + ": " + labelNames.size() + " label names but " + labelValues.size() + " values");
        }
        for (String label : labelNames) {
            if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
                throw new IllegalArgumentException(base + ": not a Prometheus label name: " + label);
            }
        }
    }

    /** The registry name of {@code base} with labels given as name, value, name, value, ... */
    public static String of(String base, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException(base + ": labels come in name, value pairs");
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            names.add(labels[i]);
            values.add(labels[i + 1]);
        }
        return new MetricName(base, names, values).toString();
    }

    /** Reads a registry name back; a name without labels is its own base. */
    public static MetricName parse(String registryName) {
        int open = registryName.indexOf('{');
        if (open < 0) {
            return new MetricName(registryName, List.of(), List.of());
        }
        if (!registryName.endsWith("}")) {
            throw new IllegalArgumentException("a labelled metric name ends with '}': " + registryName);
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String inner = registryName.substring(open + 1, registryName.length() - 1);
        if (!inner.isEmpty()) {
            for (String pair : inner.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("label without '=' in " + registryName);
                }
                names.add(pair.substring(0, eq));
                values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new MetricName(registryName.substring(0, open), names, values);
    }

    /**
     * {@link #parse}, or for a name not built by {@link #of} (a plain Dropwizard name such as {@code a.b-c}) the
     * name made valid without labels ({@code a_b_c}), so one odd metric never breaks the whole page.
     */
    public static MetricName parseLenient(String registryName) {
        try {
            return parse(registryName);
        } catch (IllegalArgumentException e) {
            return new MetricName(io.prometheus.client.Collector.sanitizeMetricName(registryName), List.of(), List.of());
        }
    }

    /** This name with one more label. */
    public MetricName with(String label, String value) {
        List<String> names = new ArrayList<>(labelNames);
        List<String> values = new ArrayList<>(labelValues);
        names.add(label);
        values.add(value);
        return new MetricName(base, names, values);
    }

    @Override
    public String toString() {
        if (labelNames.isEmpty()) {
            return base;
        }
        StringBuilder out = new StringBuilder(base).append('{');
        for (int i = 0; i < labelNames.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(labelNames.get(i)).append('=').append(URLEncoder.encode(labelValues.get(i), StandardCharsets.UTF_8));
        }
        return out.append('}').toString();
    }
}
