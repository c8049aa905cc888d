package io.jobrunner.runner;

import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.JobTracing;
import io.jobrunner.client.QueueRegistry;
import io.jobrunner.service.Limits;

import java.time.Clock;
import java.util.List;

/**
 * What the slots of every group share, built once by {@link Runner}: settings, the Redis APIs, the ready
 * queues, the claim buffer, caps and budget, heartbeat, outcomes, metrics, executors, tracing and the stop flags.
 */
final class RunnerParts {

    final RunnerSettings settings;
    final Limits limits;
    final JobConsumer consumer;
    final QueueRegistry registry;
    final Clock clock;
    final ReadyQueues ready;
    final ClaimBuffer buffer;
    final ConcurrencyLimiter limiter;
    final ClusterCaps clusterCaps;
    final ClaimBudget budget;
    final ClaimHeartbeat heartbeat;
    final JobOutcomes outcomes;
    final RunnerMetrics metrics;
    final RunCounters counters;
    final ExecutorLookup executors;
    final RunningJobs running;
    final RunTimeouts timeouts;
    final InFlight inFlight;
    final OperatorControls controls;
    final JobTracing tracing;
    private volatile List<SlotGroup> groups = List.of();
    private volatile boolean stopping;
    private volatile boolean forced;

    RunnerParts(RunnerSettings settings, Limits limits, JobConsumer consumer, QueueRegistry registry, Clock clock,
                ReadyQueues ready, ClaimBuffer buffer, ConcurrencyLimiter limiter, ClusterCaps clusterCaps, ClaimBudget budget,
                ClaimHeartbeat heartbeat, JobOutcomes outcomes, RunnerMetrics metrics, RunCounters counters,
                ExecutorLookup executors, RunningJobs running, RunTimeouts timeouts, InFlight inFlight,
                JobTracing tracing) {
        this.settings = settings;
        this.limits = limits;
        this.consumer = consumer;
        this.registry = registry;
        this.clock = clock;
        this.ready = ready;
        this.buffer = buffer;
        this.limiter = limiter;
        this.clusterCaps = clusterCaps;
        this.budget = budget;
        this.heartbeat = heartbeat;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.counters = counters;
        this.executors = executors;
        this.running = running;
        this.timeouts = timeouts;
        this.inFlight = inFlight;
        this.controls = new OperatorControls(running);
        this.tracing = tracing;
    }

    void groups(List<SlotGroup> all) {
        this.groups = List.copyOf(all);
    }

    List<SlotGroup> groups() {
        return groups;
    }

    /** Wakes one idle slot in every group that serves {@code type}. */
    void wakeServing(String type) {
        for (SlotGroup g : groups) {
            if (g.serves(type)) {
                g.wakeOne();
            }
        }
    }

    void wakeAll() {
        groups.forEach(SlotGroup::wakeAll);
    }

    /** No more claims: slots finish what they hold and exit. */
    boolean stopping() {
        return stopping;
    }

    void stopClaiming() {
        stopping = true;
    }

    /** The grace is over: jobs not yet started are given back instead of run. */
    boolean forced() {
        return forced;
    }

    void force() {
        forced = true;
    }
}
