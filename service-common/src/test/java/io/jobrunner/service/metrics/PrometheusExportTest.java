package io.jobrunner.service.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.jobrunner.testing.PrometheusText;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusExportTest {

    private static final List<MetricSpec> SPECS = List.of(
            MetricSpec.counter("jobrunner_jobs_succeeded_total", "Job runs that succeeded.", "type"),
            MetricSpec.histogram("jobrunner_job_run_seconds", "Time a job run took, in seconds.", "type"),
            MetricSpec.gauge("jobrunner_group_slots_busy", "Slots running a job now.", "group"),
            MetricSpec.histogram("jobrunner_chron_due_queues_per_tick", "Due queues per tick."));

    private static String scrape(MetricRegistry registry) throws IOException {
        CollectorRegistry prometheus = new CollectorRegistry();
        prometheus.register(new PrometheusExport(registry, SPECS));
        StringWriter out = new StringWriter();
        TextFormat.write004(out, prometheus.metricFamilySamples());
        return out.toString();
    }

    @Test
    void typesThatDifferOnlyInPunctuationAreDistinctSeriesOfOneLabelledFamily() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.meter(MetricName.of("jobrunner_jobs_succeeded", "type", "a.b")).mark(1);
        registry.meter(MetricName.of("jobrunner_jobs_succeeded", "type", "a_b")).mark(2);
        registry.meter(MetricName.of("jobrunner_jobs_succeeded", "type", "a-b")).mark(3);

        String text = scrape(registry);
        assertThat(text).contains("# HELP jobrunner_jobs_succeeded_total Job runs that succeeded.")
                .contains("# TYPE jobrunner_jobs_succeeded_total counter")
                .contains("jobrunner_jobs_succeeded_total{type=\"a.b\",} 1.0")
                .contains("jobrunner_jobs_succeeded_total{type=\"a_b\",} 2.0")
                .contains("jobrunner_jobs_succeeded_total{type=\"a-b\",} 3.0");
        PrometheusText page = PrometheusText.parse(text);
        MetricFamily family = page.family("jobrunner_jobs_succeeded_total").orElseThrow();
        assertThat(family.getType()).isEqualTo(MetricType.COUNTER);
        assertThat(family.getMetrics()).extracting(m -> m.getLabels().get("type")).containsExactlyInAnyOrder("a.b", "a_b", "a-b");
        assertThat(family.getMetrics()).extracting(m -> ((Counter) m).getValue()).containsExactlyInAnyOrder(1.0, 2.0, 3.0);
    }

    @Test
    void aTimerIsAHistogramInSecondsWithBucketsSumAndCount() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        var timer = BucketedTimer.in(registry, MetricName.of("jobrunner_job_run_seconds", "type", "sendMail"));
        timer.update(3, TimeUnit.MILLISECONDS);
        timer.update(200, TimeUnit.MILLISECONDS);
        timer.update(2, TimeUnit.HOURS);

        PrometheusText page = PrometheusText.parse(scrape(registry));
        MetricFamily family = page.family("jobrunner_job_run_seconds").orElseThrow();
        assertThat(family.getType()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(family.getHelp()).isEqualTo("Time a job run took, in seconds.");
        Histogram h = (Histogram) family.getMetrics().get(0);
        assertThat(h.getLabels()).containsEntry("type", "sendMail");
        assertThat(h.getSampleCount()).isEqualTo(3);
        assertThat(h.getSampleSum()).isCloseTo(7200.203, org.assertj.core.data.Offset.offset(1e-6));
        Map<Double, Long> buckets = new java.util.TreeMap<>();
        h.getBuckets().forEach(b -> buckets.put(b.getUpperBound(), b.getCumulativeCount()));
        assertThat(buckets).containsEntry(0.001, 0L).containsEntry(0.005, 1L).containsEntry(0.25, 2L).containsEntry(3600.0, 2L)
                .containsEntry(Double.POSITIVE_INFINITY, 3L);
        assertThat(timer.getSnapshot().getMax()).as("the Dropwizard view is kept").isEqualTo(TimeUnit.HOURS.toNanos(2));
    }

    @Test
    void gaugesAndCountHistogramsKeepTheirLabelsAndHelp() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.register(MetricName.of("jobrunner_group_slots_busy", "group", "basic"), (Gauge<Integer>) () -> 3);
        registry.histogram("jobrunner_chron_due_queues_per_tick", () -> new BucketedHistogram(new double[]{1, 10, 100}, 1)).update(7);

        PrometheusText page = PrometheusText.parse(scrape(registry));
        MetricFamily busy = page.family("jobrunner_group_slots_busy").orElseThrow();
        assertThat(busy.getType()).isEqualTo(MetricType.GAUGE);
        assertThat(busy.getHelp()).isEqualTo("Slots running a job now.");
        assertThat(busy.getMetrics().get(0).getLabels()).isEqualTo(Map.of("group", "basic"));
        Histogram due = (Histogram) page.family("jobrunner_chron_due_queues_per_tick").orElseThrow().getMetrics().get(0);
        assertThat(due.getSampleSum()).isEqualTo(7.0);
        assertThat(due.getBuckets()).extracting(Histogram.Bucket::getCumulativeCount).containsExactly(0L, 1L, 1L, 1L);
    }

    @Test
    void namesParseBackToWhatTheyWereBuiltFrom() {
        String name = MetricName.of("jobrunner_queue_jobs", "domain", "en.wiki,x={y}", "type", "a.b", "state", "ready");
        MetricName parsed = MetricName.parse(name);
        assertThat(parsed.base()).isEqualTo("jobrunner_queue_jobs");
        assertThat(parsed.labelNames()).containsExactly("domain", "type", "state");
        assertThat(parsed.labelValues()).containsExactly("en.wiki,x={y}", "a.b", "ready");
        assertThat(MetricName.parse("jobrunner_runner_jobs_running").labelNames()).isEmpty();
        assertThat(MetricName.parseLenient("some.plain-dropwizard.name").base()).as("never breaks the page").isEqualTo("some_plain_dropwizard_name");
        assertThatThrownBy(() -> MetricName.of("jobs.sendMail.succeeded")).hasMessageContaining("not a Prometheus metric name");
        assertThatThrownBy(() -> MetricName.of("jobrunner_x", "type")).hasMessageContaining("pairs");
        assertThatThrownBy(() -> MetricSpec.counter("jobrunner_x", "no total")).hasMessageContaining("_total");
    }
}
