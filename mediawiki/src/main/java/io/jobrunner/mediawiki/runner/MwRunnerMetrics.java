package io.jobrunner.mediawiki.runner;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.runner.Runner;
import io.jobrunner.service.metrics.BucketedTimer;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.service.metrics.MetricSpec;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The runner's metrics in MediaWiki mode, in the {@link MetricRegistry} it was given, named and labelled for
 * Prometheus ({@link MetricName}) like the native runner's; {@link #SPECS} lists each family with its HELP text:
 * <ul>
 *   <li>per wiki (its wiki ID) and job type: jobs succeeded and failed (from the batch's {@code jobs[]}), their run
 *       time, batches by outcome and batch time;</li>
 *   <li>the ready map's age, size and undecodable fields, the backoffs and running batches;</li>
 *   <li>the native families shared with MediaWiki mode: per group the measured high share, utilisation and slots,
 *       Redis errors and replaced slots.</li>
 * </ul>
 */
final class MwRunnerMetrics {

    static final String JOBS_SUCCEEDED = "jobrunner_mediawiki_jobs_succeeded";
    static final String JOBS_FAILED = "jobrunner_mediawiki_jobs_failed";
    static final String JOB_RUN_SECONDS = "jobrunner_mediawiki_job_run_seconds";
    static final String BATCHES = "jobrunner_mediawiki_batches";
    static final String BATCH_SECONDS = "jobrunner_mediawiki_batch_seconds";
    static final String READY_MAP_AGE = "jobrunner_mediawiki_ready_map_age_seconds";
    static final String READY_MAP_QUEUES = "jobrunner_mediawiki_ready_map_queues";
    static final String READY_MAP_BAD_FIELDS = "jobrunner_mediawiki_ready_map_bad_fields";
    static final String BACKOFFS = "jobrunner_mediawiki_backoffs";
    static final String BATCHES_RUNNING = "jobrunner_mediawiki_batches_running";
    static final String STEP_ERRORS = "jobrunner_mediawiki_runner_step_errors";
    static final String GROUP_HIGH_SHARE = "jobrunner_group_high_share_ratio";
    static final String GROUP_UTILISATION = "jobrunner_group_utilisation_ratio";
    static final String GROUP_SLOTS = "jobrunner_group_slots";
    static final String REDIS_ERRORS = "jobrunner_runner_redis_errors";
    static final String SLOTS_REPLACED = "jobrunner_runner_slots_replaced";

    /** The families only MediaWiki mode exports. */
    static final List<MetricSpec> OWN_SPECS = List.of(
            MetricSpec.counter(JOBS_SUCCEEDED + "_total", "MediaWiki jobs a batch reported as ok.", "wiki", "type"),
            MetricSpec.counter(JOBS_FAILED + "_total", "MediaWiki jobs a batch reported as failed (retried after the claim TTL while attempts last).",
                    "wiki", "type"),
            MetricSpec.histogram(JOB_RUN_SECONDS, "Run time of a MediaWiki job as its batch reported it, in seconds.", "wiki", "type"),
            MetricSpec.counter(BATCHES + "_total", "runJobs batches by outcome (drained, job-limit, time-limit, memory-limit, exception, "
                    + "none-possible, read-only, replica-lag, error, timeout), plus skipped-empty picks and misrouted findings.",
                    "wiki", "type", "outcome"),
            MetricSpec.histogram(BATCH_SECONDS, "Time one runJobs batch took from start to exit, in seconds.", "wiki", "type"),
            MetricSpec.gauge(READY_MAP_AGE, "Age of the ready map the chron wrote, in seconds (-1 before the first read)."),
            MetricSpec.gauge(READY_MAP_QUEUES, "Queues the ready map lists as having ready jobs."),
            MetricSpec.counter(READY_MAP_BAD_FIELDS + "_total", "Ready-map fields that did not decode to a queue (skipped)."),
            MetricSpec.gauge(BACKOFFS, "Backoffs in force (per queue, wiki or type)."),
            MetricSpec.gauge(BATCHES_RUNNING, "runJobs batches running in this runner now."),
            MetricSpec.counter(STEP_ERRORS + "_total", "Slot steps that failed (logged and backed off; the slot goes on)."));

    private static final Set<String> SHARED = Set.of(GROUP_HIGH_SHARE, GROUP_UTILISATION, GROUP_SLOTS, REDIS_ERRORS + "_total",
            SLOTS_REPLACED + "_total");

    /** Every family the runner exports in MediaWiki mode: its own and the native ones it shares. */
    static final List<MetricSpec> SPECS = Stream.concat(OWN_SPECS.stream(),
            Runner.metricSpecs().stream().filter(s -> SHARED.contains(s.name()))).toList();

    private final MetricRegistry registry;
    private final Meter redisErrors;
    private final Meter slotsReplaced;
    private final Meter stepErrors;
    private final Meter badFields;

    MwRunnerMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.redisErrors = registry.meter(REDIS_ERRORS);
        this.slotsReplaced = registry.meter(SLOTS_REPLACED);
        this.stepErrors = registry.meter(STEP_ERRORS);
        this.badFields = registry.meter(READY_MAP_BAD_FIELDS);
    }

    MetricRegistry registry() {
        return registry;
    }

    Meter redisErrors() {
        return redisErrors;
    }

    Meter slotsReplaced() {
        return slotsReplaced;
    }

    Meter stepErrors() {
        return stepErrors;
    }

    Meter badFields() {
        return badFields;
    }

    /** One job of the queue's wiki, as its batch reported it ({@code type} is the job's, from {@code jobs[]}). */
    void job(MwQueue queue, String type, boolean ok, long timeMs) {
        String wiki = queue.wikiId();
        registry.meter(MetricName.of(ok ? JOBS_SUCCEEDED : JOBS_FAILED, "wiki", wiki, "type", type)).mark();
        BucketedTimer.in(registry, MetricName.of(JOB_RUN_SECONDS, "wiki", wiki, "type", type)).update(timeMs, TimeUnit.MILLISECONDS);
    }

    /** A batch's outcome (or a pick's: skipped-empty, misrouted). */
    void batch(MwQueue queue, String outcome) {
        registry.meter(MetricName.of(BATCHES, "wiki", queue.wikiId(), "type", queue.type(), "outcome", outcome)).mark();
    }

    Timer batchTime(MwQueue queue) {
        return BucketedTimer.in(registry, MetricName.of(BATCH_SECONDS, "wiki", queue.wikiId(), "type", queue.type()));
    }

    <T> void gauge(String name, Supplier<T> value) {
        registry.gauge(name, () -> (Gauge<T>) value::get);
    }

    void groupGauges(String group, Supplier<Double> highShare, Supplier<Double> utilisation, int slots) {
        gauge(MetricName.of(GROUP_HIGH_SHARE, "group", group), () -> highShare.get() == null ? Double.NaN : highShare.get());
        gauge(MetricName.of(GROUP_UTILISATION, "group", group), utilisation);
        gauge(MetricName.of(GROUP_SLOTS, "group", group), () -> slots);
    }
}
