package io.jobrunner.spring;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.MetricRegistryListener;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Timer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The runner's metrics (a Dropwizard registry) as Micrometer meters, so Actuator exposes them
 * ({@code /actuator/metrics}, {@code /actuator/prometheus}).
 * <ol>
 *   <li>names: a labelled name {@code jobrunner_jobs_succeeded{type=sendMail}} becomes {@code jobrunner.jobs.succeeded}
 *       tagged {@code type}; a dotted one {@code jobs.<type>.<what>} becomes {@code jobrunner.jobs.<what>} tagged {@code type},
 *       {@code groups.<group>.<what>} becomes {@code jobrunner.groups.<what>} tagged {@code group}, any other name
 *       {@code jobrunner.<name>};</li>
 *   <li>kinds: meters and counters become function counters (their count), gauges gauges, timers a count
 *       ({@code <name>.count}) and time gauges of their median, 95th and 99th percentile (tag {@code quantile}), in
 *       the registry's base unit; histograms the same without a unit;</li>
 *   <li>follows the registry as the runner adds and removes metrics (types appear with their first job).</li>
 * </ol>
 */
public class DropwizardMeters implements MeterBinder {

    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    private final MetricRegistry source;

    public DropwizardMeters(MetricRegistry source) {
        this.source = source;
    }

    @Override
    public void bindTo(MeterRegistry target) {
        source.addListener(new Bridge(target));
    }

    /** A Dropwizard name as a Micrometer name and tags. */
    record Name(String name, Tags tags) {
        static Name of(String dotted) {
            int open = dotted.indexOf('{');
            if (open > 0 && dotted.endsWith("}")) {
                return labelled(dotted.substring(0, open), dotted.substring(open + 1, dotted.length() - 1));
            }
            int first = dotted.indexOf('.');
            int last = dotted.lastIndexOf('.');
            if (first > 0 && last > first) {
                String head = dotted.substring(0, first);
                String middle = dotted.substring(first + 1, last);
                String what = dotted.substring(last + 1);
                if (head.equals("jobs")) {
                    return new Name("jobrunner.jobs." + what, Tags.of("type", middle));
                }
                if (head.equals("groups")) {
                    return new Name("jobrunner.groups." + what, Tags.of("group", middle));
                }
            }
            return new Name("jobrunner." + dotted, Tags.empty());
        }

        /** {@code jobrunner_jobs_succeeded{type=sendMail}} (labels inside the name, values URL-encoded). */
        private static Name labelled(String base, String labels) {
            Tags tags = Tags.empty();
            for (String pair : labels.isEmpty() ? new String[0] : labels.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    tags = tags.and(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return new Name(base.replace('_', '.'), tags);
        }
    }

    private static final class Bridge extends MetricRegistryListener.Base {
        private final MeterRegistry target;
        private final Map<String, List<io.micrometer.core.instrument.Meter>> added = new ConcurrentHashMap<>();

        Bridge(MeterRegistry target) {
            this.target = target;
        }

        @Override
        public void onGaugeAdded(String dotted, Gauge<?> gauge) {
            Name n = Name.of(dotted);
            add(dotted, io.micrometer.core.instrument.Gauge.builder(n.name(), gauge, Bridge::numberOf).tags(n.tags()).register(target));
        }

        @Override
        public void onCounterAdded(String dotted, Counter counter) {
            Name n = Name.of(dotted);
            add(dotted, FunctionCounter.builder(n.name(), counter, Counter::getCount).tags(n.tags()).register(target));
        }

        @Override
        public void onMeterAdded(String dotted, Meter meter) {
            Name n = Name.of(dotted);
            add(dotted, FunctionCounter.builder(n.name(), meter, Meter::getCount).tags(n.tags()).register(target));
        }

        @Override
        public void onTimerAdded(String dotted, Timer timer) {
            addSampled(dotted, timer, true);
        }

        @Override
        public void onHistogramAdded(String dotted, Histogram histogram) {
            addSampled(dotted, histogram, false);
        }

        /** A count and gauges of the quantiles of a timer ({@code nanos}) or a histogram. */
        private <T extends Sampling & Counting> void addSampled(String dotted, T metric, boolean nanos) {
            Name n = Name.of(dotted);
            add(dotted, FunctionCounter.builder(n.name() + ".count", metric, Counting::getCount).tags(n.tags()).register(target));
            for (double q : QUANTILES) {
                Tags tags = n.tags().and("quantile", Double.toString(q));
                ToDoubleFunction<T> value = m -> m.getSnapshot().getValue(q);
                add(dotted, nanos ? TimeGauge.builder(n.name(), metric, TimeUnit.NANOSECONDS, value).tags(tags).register(target)
                        : io.micrometer.core.instrument.Gauge.builder(n.name(), metric, value).tags(tags).register(target));
            }
        }

        @Override
        public void onGaugeRemoved(String name) {
            remove(name);
        }

        @Override
        public void onCounterRemoved(String name) {
            remove(name);
        }

        @Override
        public void onMeterRemoved(String name) {
            remove(name);
        }

        @Override
        public void onTimerRemoved(String name) {
            remove(name);
        }

        @Override
        public void onHistogramRemoved(String name) {
            remove(name);
        }

        private void add(String dotted, io.micrometer.core.instrument.Meter meter) {
            added.computeIfAbsent(dotted, k -> new ArrayList<>()).add(meter);
        }

        private void remove(String dotted) {
            List<io.micrometer.core.instrument.Meter> meters = added.remove(dotted);
            if (meters != null) {
                meters.forEach(target::remove);
            }
        }

        private static double numberOf(Gauge<?> gauge) {
            return gauge.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }
}
