package io.jobrunner.chron;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * The chron's metric names, in one place. Every count a duty returns is marked twice: as a total and per
 * job type.
 * <pre>
 *   chron.&lt;count&gt;                     meter   recycled, abandoned, promoted, pruned, pruned-roots, repaired
 *   chron.type.&lt;type&gt;.&lt;count&gt;        meter   the same per job type
 *   chron.repair.&lt;kind&gt;               meter   repairs by kind of drift (ready-added, ready-removed, due-added,
 *                                           known-removed, known-added)
 *   chron.duty.&lt;duty&gt;.time            timer   time per run of a duty (for due: per tick, the tick cost)
 *   chron.duty.&lt;duty&gt;.errors          meter   runs or queues that failed
 *   chron.due.queues-per-tick         histogram   due queues worked per tick
 *   chron.leader                      gauge   1 while this process is the leader, else 0
 *   chron.lease.acquired|lost         meter   leadership changes
 *   chron.queue.&lt;domain/type&gt;.&lt;state&gt;  gauge   sampled per-queue counts ({@link QueueGauges})
 *   chron.queues.known|ready|due|sampled, chron.jobs.&lt;state&gt;   gauges of the sample
 * </pre>
 */
final class ChronMetrics {

    static final String RECYCLED = "recycled";
    static final String ABANDONED = "abandoned";
    static final String PROMOTED = "promoted";
    static final String PRUNED = "pruned";
    static final String PRUNED_ROOTS = "pruned-roots";
    static final String REPAIRED = "repaired";

    private final MetricRegistry registry;

    ChronMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    MetricRegistry registry() {
        return registry;
    }

    /** Marks {@code n} of {@code count} (e.g. recycled) for {@code type}, total and per type. */
    void mark(String count, String type, long n) {
        if (n <= 0) {
            return;
        }
        registry.meter("chron." + count).mark(n);
        registry.meter("chron.type." + type + "." + count).mark(n);
    }

    /** One repair of this kind on a queue of this type: counts as repaired too. */
    void repaired(String kind, String type) {
        registry.meter("chron.repair." + kind).mark();
        mark(REPAIRED, type, 1);
    }

    Timer dutyTime(String duty) {
        return registry.timer("chron.duty." + duty + ".time");
    }

    Meter dutyErrors(String duty) {
        return registry.meter("chron.duty." + duty + ".errors");
    }

    void dueQueuesPerTick(int n) {
        registry.histogram("chron.due.queues-per-tick").update(n);
    }

    Meter leaseAcquired() {
        return registry.meter("chron.lease.acquired");
    }

    Meter leaseLost() {
        return registry.meter("chron.lease.lost");
    }
}
