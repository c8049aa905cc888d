package io.jobrunner.runner;

import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueRegistry;
import io.jobrunner.client.RootCause;
import io.jobrunner.service.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Turns a slot's pick into the one job it runs next, shared by all slots of the runner.
 * <ol>
 *   <li>a buffered job ({@link #takeBuffered}) runs if its claim is still held; it is marked started first;</li>
 *   <li>a ready queue ({@link #claim}): a batch sized so the extra jobs start within the buffer time, taken from
 *       the claim budget and, for a type or domain with a cluster-wide cap, under a permit for one job; no more
 *       than the queue's rate limits grant ({@link ClusterRates}: a type's or domain's tokens taken before the
 *       claim, the unused ones given back; a queue's own inside the claim script);</li>
 *   <li>every claimed job is heartbeated from now on; the extras go to the {@link ClaimBuffer} and another slot
 *       is woken for them;</li>
 *   <li>a queue the claim left empty leaves the registry (compare-and-delete on the stamp the slot read; in the
 *       claim script itself on a single Redis node) and this runner's cache; the {@link HintClaimGate} learns the claim's answer before other slots are woken.</li>
 * </ol>
 */
final class JobClaimer {

    private static final Logger log = LoggerFactory.getLogger(JobClaimer.class);

    private final JobConsumer consumer;
    private final QueueRegistry registry;
    private final Limits limits;
    private final ClaimSizing sizing;
    private final ReadyQueues ready;
    private final HintClaimGate gate;
    private final ClaimBudget budget;
    private final ClusterCaps clusterCaps;
    private final ClusterRates rates;
    private final ClaimHeartbeat heartbeat;
    private final ClaimBuffer buffer;
    private final SlotWakeups wakeups;
    private final RunnerMetrics metrics;

    JobClaimer(JobConsumer consumer, QueueRegistry registry, Limits limits, ClaimSizing sizing, ReadyQueues ready,
               HintClaimGate gate, ClaimBudget budget, ClusterCaps clusterCaps, ClusterRates rates, ClaimHeartbeat heartbeat, ClaimBuffer buffer,
               SlotWakeups wakeups, RunnerMetrics metrics) {
        this.consumer = consumer;
        this.registry = registry;
        this.limits = limits;
        this.sizing = sizing;
        this.ready = ready;
        this.gate = gate;
        this.budget = budget;
        this.clusterCaps = clusterCaps;
        this.rates = rates;
        this.heartbeat = heartbeat;
        this.buffer = buffer;
        this.wakeups = wakeups;
        this.metrics = metrics;
    }

    /** The job a pick gives, or null when it gives none (claim lost while buffered, queue empty, budget or cap). */
    ClaimedJob take(QueuePicker.Pick pick, GroupSettings group) {
        return pick.buffered() != null ? takeBuffered(pick.buffered()) : claim(pick, group);
    }

    /** Nanoseconds until a rate-limited queue this runner skips has its next token (MAX_VALUE: none is waiting). */
    long nanosUntilNextToken() {
        return rates.nanosUntilNextToken();
    }

    /** True once a bounded run claimed its last job. */
    boolean budgetSpent() {
        return budget.exhausted();
    }

    private ClaimedJob takeBuffered(ClaimedJob job) {
        if (!heartbeat.isHeld(job.ref())) {
            return null; // its claim was lost while it waited
        }
        if (buffer.has(job.queue())) {
            wakeups.wakeServing(job.queue().type());
        }
        markStarted(job);
        return job;
    }

    private ClaimedJob claim(QueuePicker.Pick pick, GroupSettings group) {
        QueueName queue = pick.queue();
        Stamp stamp = pick.stamp();
        Duration ttl = limits.claimTtl().forType(queue.type());
        boolean capped = clusterCaps.applies(queue);
        int wanted = budget.take(capped ? 1 : sizing.size(queue, pick.jobClass(), group)); // a permit covers one job
        if (wanted == 0) {
            gate.end(queue, stamp, 0);
            return null;
        }
        int granted = rates.shared(queue) ? rates.take(queue, wanted) : wanted; // a type's or domain's rate
        if (granted < wanted) {
            budget.giveBack(wanted - granted);
            wanted = granted;
        }
        if (wanted == 0) {
            gate.end(queue, stamp, 0); // no token: pickers skip it until the next one
            return null;
        }
        ClusterCaps.Permit permit = capped ? clusterCaps.acquire(queue, ttl) : null;
        if (capped && permit == null) {
            gate.end(queue, stamp, 0); // the cap is full cluster-wide: pickers skip it for now
            budget.giveBack(wanted);
            rates.giveBack(queue, wanted);
            return null;
        }
        ClaimBatch batch;
        long claimSentNanos;
        try {
            claimSentNanos = System.nanoTime();
            // The job run at once is marked started; the buffered ones are marked when a slot takes them.
            String registryStamp = stamp != null && !stamp.hint() ? stamp.value() : null;
            batch = consumer.claim(queue, wanted, ttl, limits.attempts().forType(queue.type()), 1,
                    limits.expireAfter().forType(queue.type()), rates.perQueue(queue), registryStamp).thenApply(b -> {
                if (b.remaining() == 0 && registryStamp != null && !consumer.keepsRegistry()) {
                    // Never under a hint's stamp: it is not in Redis. Issued on the connection's thread: no
                    // hand-off on the way to the run.
                    removeFromRegistry(queue, stamp);
                }
                return b;
            }).join();
        } catch (RuntimeException e) {
            gate.end(queue, stamp, 0);
            budget.giveBack(wanted);
            rates.giveBack(queue, wanted);
            if (permit != null) {
                clusterCaps.release(permit);
            }
            throw e;
        }
        if (permit != null && batch.jobs().isEmpty()) {
            clusterCaps.release(permit);
        }
        List<ClaimedJob> jobs = batch.jobs();
        budget.giveBack(wanted - jobs.size());
        rates.giveBack(queue, wanted - jobs.size());
        rates.queueWait(queue, batch.rateWaitMillis());
        count(queue, batch);
        for (ClaimedJob job : jobs) {
            heartbeat.hold(job, ttl, claimSentNanos, permit);
        }
        if (batch.remaining() == 0 && stamp != null) {
            ready.forget(queue, stamp); // under a hint's stamp too: a refresh brings back the registry's
        }
        gate.end(queue, stamp, batch.remaining()); // before waking others: they may claim now
        if (jobs.isEmpty()) {
            return null;
        }
        if (jobs.size() > 1) {
            buffer.add(jobs.subList(1, jobs.size()), System.nanoTime());
            heartbeat.buffered();
        }
        if (jobs.size() > 1 || batch.remaining() > 0) {
            wakeups.wakeServing(queue.type());
        }
        return jobs.get(0);
    }

    private void count(QueueName queue, ClaimBatch batch) {
        RunnerMetrics.TypeMetrics m = metrics.type(queue.type());
        if (!batch.jobs().isEmpty()) {
            m.claimed().mark(batch.jobs().size());
        }
        if (batch.superseded() > 0) {
            m.superseded().mark(batch.superseded());
        }
        if (batch.expired() > 0) {
            m.expired().mark(batch.expired());
        }
    }

    /**
     * Marks a buffered claim started before it runs (not awaited: pipelined ahead of anything the run sends). A
     * claim that expires unmarked gets its attempt back, so a failed mark costs at most one extra attempt.
     */
    private void markStarted(ClaimedJob job) {
        consumer.markStarted(job.queue(), job.ref()).whenComplete((held, e) -> {
            if (e != null) {
                metrics.redisErrors.mark();
                log.warn("queue {} job {}: could not mark it started: {}", job.queue(), job.id(), RootCause.message(e));
            }
        });
    }

    /** The queue had no ready job left under {@code stamp}: out of the registry, unless a push came since. */
    private void removeFromRegistry(QueueName queue, Stamp stamp) {
        registry.removeIfUnchanged(queue, stamp.value()).whenComplete((removed, e) -> {
            if (e != null) {
                metrics.redisLog.failed("queue {}: could not remove it from the ready registry (the chron repairs it): {}", queue,
                        RootCause.message(e));
            }
        });
    }
}
