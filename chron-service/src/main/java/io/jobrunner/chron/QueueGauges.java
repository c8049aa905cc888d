package io.jobrunner.chron;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueOverview;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueRegistry;
import io.jobrunner.client.QueueSummary;
import io.jobrunner.service.metrics.MetricName;
import io.lettuce.core.RedisFuture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * The gauge-sampling duty, every {@code gauges.interval}, bounded in cost:
 * <ol>
 *   <li>takes at most {@code gauges.max-queues} queues from {@code jr:queues} (SSCAN pages);</li>
 *   <li>reads their counts, latency (age of the oldest ready job) and paused flag with {@link QueueOverview#of}
 *       (four pipelined commands per queue, two more per queue with ready jobs) and the sizes of the registries
 *       (three commands);</li>
 *   <li>publishes per queue {@code jobrunner_queue_jobs{domain,type,state}}, the queue latency
 *       {@code jobrunner_queue_oldest_ready_age_seconds{domain,type}} (0 when nothing is ready) and
 *       {@code jobrunner_queue_paused{domain,type}} (1 or 0), removes those of queues no longer sampled, and the
 *       totals {@code jobrunner_sampled_jobs{state}} and {@code jobrunner_queues{set}}.</li>
 * </ol>
 * Gauges read the last sample (never Redis), so a scrape of {@code /metrics} costs Redis nothing. Counts are
 * read per queue, not atomically across states; they are a view for dashboards, never used for decisions.
 */
final class QueueGauges implements Duty {

    static final String NAME = "gauges";
    private static final String[] STATES = {"ready", "delayed", "claimed", "abandoned"};
    private static final String[] SETS = {"known", "ready", "due", "sampled"};

    private final JobRunnerClient client;
    private final QueueRegistry registry;
    private final ChronSettings settings;
    private final MetricRegistry metrics;
    private final ChronMetrics chronMetrics;
    private final Map<String, Number> values = new ConcurrentHashMap<>();
    private final Set<QueueName> published = new HashSet<>();

    QueueGauges(JobRunnerClient client, ChronSettings settings, ChronMetrics chronMetrics) {
        this.client = client;
        this.registry = client.registry();
        this.settings = settings;
        this.metrics = chronMetrics.registry();
        this.chronMetrics = chronMetrics;
        for (String set : SETS) {
            gauge(MetricName.of(ChronMetrics.QUEUES, "set", set));
        }
        for (String state : STATES) {
            gauge(MetricName.of(ChronMetrics.SAMPLED_JOBS, "state", state));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Long> run(BooleanSupplier stillLeader) {
        Tally tally = new Tally(chronMetrics);
        RedisFuture<Long> known = client.redisAsync().scard(client.keys().queues());
        RedisFuture<Long> ready = client.redisAsync().hlen(client.keys().readyRegistry());
        RedisFuture<Long> due = client.redisAsync().zcard(client.keys().due());
        List<QueueName> sample = new ArrayList<>();
        String cursor = "0";
        int max = settings.gauges().maxQueues();
        do {
            QueueRegistry.KnownQueuesPage page = Await.get(registry.knownQueues(cursor, Math.min(max, settings.pageSize())), "scan known queues");
            for (QueueName q : page.queues()) {
                if (sample.size() < max) {
                    sample.add(q);
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null && sample.size() < max && stillLeader.getAsBoolean());
        List<QueueSummary> counts = client.overview().of(sample);
        publish(counts);
        values.put(MetricName.of(ChronMetrics.QUEUES, "set", "known"), Await.get(known, "count known queues"));
        values.put(MetricName.of(ChronMetrics.QUEUES, "set", "ready"), Await.get(ready, "count ready queues"));
        values.put(MetricName.of(ChronMetrics.QUEUES, "set", "due"), Await.get(due, "count due queues"));
        values.put(MetricName.of(ChronMetrics.QUEUES, "set", "sampled"), (long) sample.size());
        values.put(MetricName.of(ChronMetrics.SAMPLED_JOBS, "state", "ready"), sum(counts, QueueSummary::ready));
        values.put(MetricName.of(ChronMetrics.SAMPLED_JOBS, "state", "delayed"), sum(counts, QueueSummary::delayed));
        values.put(MetricName.of(ChronMetrics.SAMPLED_JOBS, "state", "claimed"), sum(counts, QueueSummary::claimed));
        values.put(MetricName.of(ChronMetrics.SAMPLED_JOBS, "state", "abandoned"), sum(counts, QueueSummary::abandoned));
        tally.note("queues", sample.size());
        return tally.counts();
    }

    private void publish(List<QueueSummary> counts) {
        Set<QueueName> now = new HashSet<>();
        Map<String, Number> fresh = new HashMap<>();
        for (QueueSummary c : counts) {
            now.add(c.queue());
            long[] byState = {c.ready(), c.delayed(), c.claimed(), c.abandoned()};
            for (int i = 0; i < STATES.length; i++) {
                fresh.put(queueGauge(c.queue(), STATES[i]), byState[i]);
            }
            fresh.put(queueGauge(ChronMetrics.QUEUE_OLDEST_READY, c.queue()), Math.max(0, c.latencyMs()) / 1000.0);
            fresh.put(queueGauge(ChronMetrics.QUEUE_PAUSED, c.queue()), c.paused() ? 1 : 0);
        }
        values.putAll(fresh);
        for (QueueName q : now) {
            if (published.add(q)) {
                gaugesOf(q).forEach(this::gauge);
            }
        }
        for (QueueName gone : new ArrayList<>(published)) {
            if (!now.contains(gone)) {
                published.remove(gone);
                for (String name : gaugesOf(gone)) {
                    metrics.remove(name);
                    values.remove(name);
                }
            }
        }
    }

    private static List<String> gaugesOf(QueueName queue) {
        List<String> names = new ArrayList<>();
        for (String state : STATES) {
            names.add(queueGauge(queue, state));
        }
        names.add(queueGauge(ChronMetrics.QUEUE_OLDEST_READY, queue));
        names.add(queueGauge(ChronMetrics.QUEUE_PAUSED, queue));
        return names;
    }

    static String queueGauge(QueueName queue, String state) {
        return MetricName.of(ChronMetrics.QUEUE_JOBS, "domain", queue.domain(), "type", queue.type(), "state", state);
    }

    static String queueGauge(String family, QueueName queue) {
        return MetricName.of(family, "domain", queue.domain(), "type", queue.type());
    }

    private void gauge(String name) {
        metrics.gauge(name, () -> (Gauge<Number>) () -> values.getOrDefault(name, 0L));
    }

    private static long sum(List<QueueSummary> counts, ToLongFunction<QueueSummary> f) {
        return counts.stream().mapToLong(f).sum();
    }

    @Override
    public Duration nextDelay() {
        return Jitter.shorten(settings.gauges().interval());
    }
}
