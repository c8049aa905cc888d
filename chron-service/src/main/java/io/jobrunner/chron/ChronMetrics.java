package io.jobrunner.chron;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.jobrunner.service.RedisErrorLog;
import io.jobrunner.service.metrics.BucketedHistogram;
import io.jobrunner.service.metrics.BucketedTimer;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.service.metrics.MetricSpec;

import java.util.List;
import java.util.Map;

/**
 * The chron's metrics, named and labelled for Prometheus ({@link MetricName}), in one place; {@link #SPECS}
 * lists each family with its HELP text. Every count a duty returns is a counter labelled with the job
 * {@code type}; duty times and errors are labelled with the {@code duty}; the sampled queue gauges
 * ({@link QueueGauges}) with {@code domain} and {@code type}.
 */
final class ChronMetrics {

    static final String RECYCLED = "recycled";
    static final String ABANDONED = "abandoned";
    static final String PROMOTED = "promoted";
    static final String PRUNED = "pruned";
    static final String PRUNED_ROOTS = "pruned-roots";
    static final String REPAIRED = "repaired";

    /** The counter each count of {@link Tally} is marked on. */
    private static final Map<String, String> COUNTERS = Map.of(
            RECYCLED, "jobrunner_chron_jobs_recycled",
            ABANDONED, "jobrunner_chron_jobs_abandoned",
            PROMOTED, "jobrunner_chron_jobs_promoted",
            PRUNED, "jobrunner_chron_jobs_pruned",
            PRUNED_ROOTS, "jobrunner_chron_roots_pruned",
            REPAIRED, "jobrunner_chron_queues_repaired",
            ScheduleFirer.FIRED, "jobrunner_chron_schedule_ticks_fired",
            ScheduleFirer.SKIPPED, "jobrunner_chron_schedule_ticks_skipped");

    static final String REDIS_ERRORS = "jobrunner_chron_redis_errors";
    static final String REPAIRS = "jobrunner_chron_repairs";
    static final String DUTY_SECONDS = "jobrunner_chron_duty_run_seconds";
    static final String DUTY_ERRORS = "jobrunner_chron_duty_errors";
    static final String DUE_QUEUES = "jobrunner_chron_due_queues_per_tick";
    static final String LEADER = "jobrunner_chron_leader";
    static final String REDIS_REACHABLE = "jobrunner_redis_reachable";
    static final String REDIS_REFUSING_WRITES = "jobrunner_redis_refusing_writes_for_memory";
    static final String LEASE_ACQUIRED = "jobrunner_chron_lease_acquired";
    static final String LEASE_LOST = "jobrunner_chron_lease_lost";
    static final String QUEUE_JOBS = "jobrunner_queue_jobs";
    static final String QUEUE_OLDEST_READY = "jobrunner_queue_oldest_ready_age_seconds";
    static final String QUEUE_PAUSED = "jobrunner_queue_paused";
    static final String QUEUES = "jobrunner_queues";
    static final String SAMPLED_JOBS = "jobrunner_sampled_jobs";

    private static final double[] QUEUE_COUNT_BUCKETS = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

    /** Every family the chron exports. */
    static final List<MetricSpec> SPECS = List.of(
            MetricSpec.counter(COUNTERS.get(RECYCLED) + "_total", "Expired claims put back to ready (their runner died or hung).", "type"),
            MetricSpec.counter(COUNTERS.get(ABANDONED) + "_total", "Expired claims abandoned because they were out of attempts.", "type"),
            MetricSpec.counter(COUNTERS.get(PROMOTED) + "_total", "Delayed jobs moved to ready once due.", "type"),
            MetricSpec.counter(COUNTERS.get(PRUNED) + "_total", "Abandoned jobs deleted after the retention.", "type"),
            MetricSpec.counter(COUNTERS.get(PRUNED_ROOTS) + "_total", "Old root-job entries deleted.", "type"),
            MetricSpec.counter(COUNTERS.get(REPAIRED) + "_total", "Registry drifts repaired on queues of this type.", "type"),
            MetricSpec.counter(COUNTERS.get(ScheduleFirer.FIRED) + "_total", "Recurring schedule ticks fired (a job pushed for each).", "type"),
            MetricSpec.counter(COUNTERS.get(ScheduleFirer.SKIPPED) + "_total",
                    "Recurring schedule ticks skipped: missed while no chron led (per the schedule's missed policy) or paused.", "type"),
            MetricSpec.counter(REDIS_ERRORS + "_total", "Redis calls of the chron that failed (lease exchanges and duty runs; retried)."),
            MetricSpec.counter(REPAIRS + "_total",
                    "Registry repairs by kind (ready-added, ready-removed, due-added, known-added, known-removed).", "kind"),
            MetricSpec.histogram(DUTY_SECONDS, "Time one run of a chron duty took (for due: one tick), in seconds.", "duty"),
            MetricSpec.counter(DUTY_ERRORS + "_total", "Runs of a chron duty, or queues within one, that failed.", "duty"),
            MetricSpec.histogram(DUE_QUEUES, "Due queues worked per tick of the due duty."),
            MetricSpec.gauge(LEADER, "1 while this chron holds the leader lease, else 0."),
            MetricSpec.gauge(REDIS_REACHABLE, "1 while this process's last calls to Redis worked, else 0."),
            MetricSpec.gauge(REDIS_REFUSING_WRITES, "1 while Redis refuses writes for memory (at maxmemory with noeviction), else 0."),
            MetricSpec.counter(LEASE_ACQUIRED + "_total", "Times this chron became the leader."),
            MetricSpec.counter(LEASE_LOST + "_total", "Times this chron lost the leader lease."),
            MetricSpec.gauge(QUEUE_JOBS, "Jobs of a sampled queue by state (ready, delayed, claimed, abandoned), read by the leader.",
                    "domain", "type", "state"),
            MetricSpec.gauge(QUEUE_OLDEST_READY,
                    "Age of the oldest ready job of a sampled queue, from when it was pushed (or fell due, when delayed), in seconds; 0 when none is ready.",
                    "domain", "type"),
            MetricSpec.gauge(QUEUE_PAUSED, "1 while a sampled queue (or its type) is paused by an operator, else 0.", "domain", "type"),
            MetricSpec.gauge(QUEUES, "Queues in each registry: known (any job), ready (ready jobs), due (a due time), sampled (these gauges).",
                    "set"),
            MetricSpec.gauge(SAMPLED_JOBS, "Jobs by state summed over the sampled queues.", "state"));

    private final MetricRegistry registry;
    /** Failed Redis calls: counted, logged rate-limited, and one line when Redis is back. */
    final RedisErrorLog redisLog;

    ChronMetrics(MetricRegistry registry) {
        this.registry = registry;
        Meter redisErrors = registry.meter(REDIS_ERRORS);
        this.redisLog = new RedisErrorLog(Chron.class.getName(), redisErrors::mark);
    }

    MetricRegistry registry() {
        return registry;
    }

    /** Marks {@code n} of {@code count} (e.g. recycled) for {@code type}. */
    void mark(String count, String type, long n) {
        if (n <= 0) {
            return;
        }
        String counter = COUNTERS.get(count);
        if (counter == null) {
            throw new IllegalArgumentException("no counter for the chron count " + count);
        }
        registry.meter(MetricName.of(counter, "type", type)).mark(n);
    }

    /** One repair of this kind on a queue of this type: counts as repaired too. */
    void repaired(String kind, String type) {
        registry.meter(MetricName.of(REPAIRS, "kind", kind)).mark();
        mark(REPAIRED, type, 1);
    }

    Timer dutyTime(String duty) {
        return BucketedTimer.in(registry, MetricName.of(DUTY_SECONDS, "duty", duty));
    }

    Meter dutyErrors(String duty) {
        return registry.meter(MetricName.of(DUTY_ERRORS, "duty", duty));
    }

    void dueQueuesPerTick(int n) {
        registry.histogram(DUE_QUEUES, () -> new BucketedHistogram(QUEUE_COUNT_BUCKETS, 1)).update(n);
    }

    Meter leaseAcquired() {
        return registry.meter(LEASE_ACQUIRED);
    }

    Meter leaseLost() {
        return registry.meter(LEASE_LOST);
    }
}
