package io.jobrunner.spring;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.MetricRegistryListener;
import com.codahale.metrics.Timer;
import io.jobrunner.service.metrics.BucketedHistogram;
import io.jobrunner.service.metrics.BucketedTimer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
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

/**
 * The runner's metrics (a Dropwizard registry) as Micrometer meters, so Actuator exposes them
 * ({@code /actuator/metrics}, {@code /actuator/prometheus}).
 * <ol>
 *   <li>names: a labelled name {@code jobrunner_jobs_succeeded{type=sendMail}} becomes {@code jobrunner.jobs.succeeded}
 *       tagged {@code type}; a dotted one {@code jobs.<type>.<what>} becomes {@code jobrunner.jobs.<what>} tagged {@code type},
 *       {@code groups.<group>.<what>} becomes {@code jobrunner.groups.<what>} tagged {@code group}, any other name
 *       {@code jobrunner.<name>};</li>
 *   <li>kinds: meters and counters become function counters (their count), gauges gauges; a timer becomes a
 *       function timer (its count and its total time: {@code _count} and {@code _sum} in Prometheus, which add up
 *       across processes), a histogram two function counters ({@code <name>.count}, {@code <name>.sum}); both also
 *       give gauges of this process's median, 95th and 99th percentile ({@code <name without .seconds>.quantile},
 *       tag {@code quantile}), which do not add up across processes;</li>
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
            if (dotted.startsWith("jobrunner_")) {
                return labelled(dotted, ""); // a labelled family with no labels
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
            addTimer(dotted, timer);
        }

        @Override
        public void onHistogramAdded(String dotted, Histogram histogram) {
            addHistogram(dotted, histogram);
        }

        private void addTimer(String dotted, Timer timer) {
            Name n = Name.of(dotted);
            add(dotted, FunctionTimer.builder(n.name(), timer, Counting::getCount, Bridge::totalSeconds, TimeUnit.SECONDS)
                    .tags(n.tags()).register(target));
            for (double q : QUANTILES) {
                add(dotted, TimeGauge.builder(quantileName(n), timer, TimeUnit.NANOSECONDS, t -> t.getSnapshot().getValue(q))
                        .tags(n.tags().and("quantile", Double.toString(q))).register(target));
            }
        }

        private void addHistogram(String dotted, Histogram histogram) {
            Name n = Name.of(dotted);
            add(dotted, FunctionCounter.builder(n.name() + ".count", histogram, Counting::getCount).tags(n.tags()).register(target));
            add(dotted, FunctionCounter.builder(n.name() + ".sum", histogram, Bridge::sum).tags(n.tags()).register(target));
            for (double q : QUANTILES) {
                add(dotted, io.micrometer.core.instrument.Gauge.builder(quantileName(n), histogram, h -> h.getSnapshot().getValue(q))
                        .tags(n.tags().and("quantile", Double.toString(q))).register(target));
            }
        }

        /** {@code jobrunner.job.run.seconds} gives {@code jobrunner.job.run.quantile} (the unit comes from the meter). */
        private static String quantileName(Name n) {
            String base = n.name().endsWith(".seconds") ? n.name().substring(0, n.name().length() - ".seconds".length()) : n.name();
            return base + ".quantile";
        }

        /** A bucketed timer keeps its exact sum; a plain Dropwizard timer only a sample, so its mean times its count. */
        private static double totalSeconds(Timer timer) {
            return timer instanceof BucketedTimer bucketed ? bucketed.totalSeconds()
                    : timer.getSnapshot().getMean() * timer.getCount() / 1e9;
        }

        private static double sum(Histogram histogram) {
            return histogram instanceof BucketedHistogram bucketed ? bucketed.sum()
                    : histogram.getSnapshot().getMean() * histogram.getCount();
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
