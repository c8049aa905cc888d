package io.jobrunner.runner;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.jobrunner.service.RedisErrorLog;
import io.jobrunner.service.metrics.BucketedTimer;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.service.metrics.MetricSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The runner's metrics, in the {@link MetricRegistry} it was given (never a static one), named and labelled
 * for Prometheus ({@link MetricName}); {@link #SPECS} lists each family with its HELP text:
 * <ul>
 *   <li>per job type ({@code type} label), counters of claims and outcomes and histograms of run time and
 *       pickup delay (first attempts: start minus max(enqueuedAt, releaseAt));</li>
 *   <li>per group ({@code group} label), the measured high-priority share, utilisation and busy slots;</li>
 *   <li>Redis errors, lost claims and replaced slots, and the buffered and running job counts.</li>
 * </ul>
 * Also keeps each type's mean run time (an exponentially weighted average) for sizing claims.
 */
final class RunnerMetrics {

    static final String CLAIMED = "jobrunner_jobs_claimed";
    static final String SUCCEEDED = "jobrunner_jobs_succeeded";
    static final String RETRIED = "jobrunner_jobs_retried";
    static final String FAILED = "jobrunner_jobs_failed";
    static final String ABANDONED = "jobrunner_jobs_abandoned";
    static final String SUPERSEDED = "jobrunner_jobs_superseded";
    static final String EXPIRED = "jobrunner_jobs_expired";
    static final String REQUEUED = "jobrunner_jobs_requeued";
    static final String RUN_SECONDS = "jobrunner_job_run_seconds";
    static final String PICKUP_SECONDS = "jobrunner_job_pickup_delay_seconds";
    static final String GROUP_HIGH_SHARE = "jobrunner_group_high_share_ratio";
    static final String GROUP_UTILISATION = "jobrunner_group_utilisation_ratio";
    static final String GROUP_SLOTS_BUSY = "jobrunner_group_slots_busy";
    static final String GROUP_SLOTS = "jobrunner_group_slots";
    static final String REDIS_ERRORS = "jobrunner_runner_redis_errors";
    static final String CLAIMS_LOST = "jobrunner_runner_claims_lost";
    static final String CLAIMS_FENCED = "jobrunner_runner_claims_fenced";
    static final String OUTCOME_RETRIES = "jobrunner_runner_outcome_retries";
    static final String SLOTS_REPLACED = "jobrunner_runner_slots_replaced";
    static final String STUCK_THREADS = "jobrunner_runner_stuck_threads";
    static final String REDIS_REACHABLE = "jobrunner_redis_reachable";
    static final String REDIS_REFUSING_WRITES = "jobrunner_redis_refusing_writes_for_memory";
    static final String BUFFERED = "jobrunner_runner_jobs_buffered";
    static final String RUNNING = "jobrunner_runner_jobs_running";

    /** Every family the runner exports. */
    static final List<MetricSpec> SPECS = List.of(
            MetricSpec.counter(CLAIMED + "_total", "Jobs claimed by this runner's slots.", "type"),
            MetricSpec.counter(SUCCEEDED + "_total", "Job runs that succeeded (acked).", "type"),
            MetricSpec.counter(RETRIED + "_total", "Failed job runs released for another attempt after a backoff.", "type"),
            MetricSpec.counter(FAILED + "_total", "Job runs that did not succeed, timeouts included (retried or abandoned).", "type"),
            MetricSpec.counter(ABANDONED + "_total",
                    "Jobs abandoned by this runner: permanent failures, out of attempts, unreadable jobs, no executor.", "type"),
            MetricSpec.counter(SUPERSEDED + "_total", "Jobs dropped at claim time because a newer root job superseded them.", "type"),
            MetricSpec.counter(EXPIRED + "_total", "Jobs dropped at claim time because they were not started before their expiry.", "type"),
            MetricSpec.counter(REQUEUED + "_total", "Claimed jobs given back unrun or at shutdown, the attempt not counted.", "type"),
            MetricSpec.histogram(RUN_SECONDS, "Time a job run took in its executor, in seconds.", "type"),
            MetricSpec.histogram(PICKUP_SECONDS,
                    "Time from a job falling due (pushed or released) to its first run starting, in seconds.", "type"),
            MetricSpec.gauge(GROUP_HIGH_SHARE,
                    "Measured share of busy slot time spent on the group's high-priority class (NaN while idle all window).", "group"),
            MetricSpec.gauge(GROUP_UTILISATION, "Busy slot time over available slot time in the group's share window (0 to 1).", "group"),
            MetricSpec.gauge(GROUP_SLOTS_BUSY, "Slots of the group running a job now.", "group"),
            MetricSpec.gauge(GROUP_SLOTS, "Slots configured for the group.", "group"),
            MetricSpec.counter(REDIS_ERRORS + "_total", "Redis calls of the runner that failed (retried with backoff)."),
            MetricSpec.counter(CLAIMS_LOST + "_total", "Claims found taken back (expired and recycled) before their ack or heartbeat."),
            MetricSpec.counter(CLAIMS_FENCED + "_total", "Runs cancelled because no heartbeat landed for four fifths of the claim TTL (the claim may be recycled)."),
            MetricSpec.counter(OUTCOME_RETRIES + "_total", "Acks and releases sent again after a failed call, while the claims were still this runner's."),
            MetricSpec.counter(SLOTS_REPLACED + "_total", "Slots replaced after dying or getting stuck in an executor past the stop grace."),
            MetricSpec.gauge(STUCK_THREADS, "Slot threads stuck in an executor past the stop grace after a cancellation (replaced, still alive)."),
            MetricSpec.gauge(REDIS_REACHABLE, "1 while this process's last calls to Redis worked, else 0."),
            MetricSpec.gauge(REDIS_REFUSING_WRITES, "1 while Redis refuses writes for memory (at maxmemory with noeviction), else 0."),
            MetricSpec.gauge(BUFFERED, "Claimed jobs waiting in this runner's buffer for a free slot."),
            MetricSpec.gauge(RUNNING, "Jobs running in this runner now."));

    /** The per-type instruments. */
    record TypeMetrics(Meter claimed, Meter succeeded, Meter retried, Meter failed, Meter abandoned, Meter superseded,
                       Meter expired, Meter requeued, Timer runTime, Timer pickupDelay) {
    }

    private final MetricRegistry registry;
    private final ConcurrentHashMap<String, TypeMetrics> byType = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, double[]> meanRunNanos = new ConcurrentHashMap<>();
    private final List<String> gauges = new ArrayList<>();
    final Meter redisErrors;
    final Meter claimsLost;
    final Meter claimsFenced;
    final Meter outcomeRetries;
    final Meter slotsReplaced;
    /** Failed Redis calls: counted on {@code redisErrors}, logged rate-limited, and one line when Redis is back. */
    final RedisErrorLog redisLog;

    RunnerMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.redisErrors = registry.meter(REDIS_ERRORS);
        this.claimsLost = registry.meter(CLAIMS_LOST);
        this.claimsFenced = registry.meter(CLAIMS_FENCED);
        this.outcomeRetries = registry.meter(OUTCOME_RETRIES);
        this.slotsReplaced = registry.meter(SLOTS_REPLACED);
        this.redisLog = new RedisErrorLog(Runner.class.getName(), redisErrors::mark);
    }

    MetricRegistry registry() {
        return registry;
    }

    TypeMetrics type(String type) {
        return byType.computeIfAbsent(type, t -> new TypeMetrics(meter(CLAIMED, t), meter(SUCCEEDED, t), meter(RETRIED, t),
                meter(FAILED, t), meter(ABANDONED, t), meter(SUPERSEDED, t), meter(EXPIRED, t), meter(REQUEUED, t),
                BucketedTimer.in(registry, MetricName.of(RUN_SECONDS, "type", t)),
                BucketedTimer.in(registry, MetricName.of(PICKUP_SECONDS, "type", t))));
    }

    private Meter meter(String name, String type) {
        return registry.meter(MetricName.of(name, "type", type));
    }

    void ranFor(String type, long nanos) {
        type(type).runTime().update(nanos, TimeUnit.NANOSECONDS);
        double[] mean = meanRunNanos.computeIfAbsent(type, t -> new double[]{-1});
        synchronized (mean) {
            mean[0] = mean[0] < 0 ? nanos : mean[0] * 0.8 + nanos * 0.2;
        }
    }

    /** The type's recent mean run time in nanoseconds, or -1 when no run of it finished yet. */
    double meanRunNanos(String type) {
        double[] mean = meanRunNanos.get(type);
        if (mean == null) {
            return -1;
        }
        synchronized (mean) {
            return mean[0];
        }
    }

    /** Registers a gauge this runner removes again when it stops. */
    synchronized <T> void gauge(String name, Supplier<T> value) {
        registry.remove(name);
        registry.register(name, (Gauge<T>) value::get);
        gauges.add(name);
    }

    synchronized void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }
}
