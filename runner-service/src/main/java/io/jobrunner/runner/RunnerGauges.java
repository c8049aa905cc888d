package io.jobrunner.runner;

import io.jobrunner.client.RedisHealth;
import io.jobrunner.service.metrics.MetricName;

import java.util.List;

/** The runner's gauges: per group (share, utilisation, busy and total slots), buffer, stuck threads, Redis, runs. */
final class RunnerGauges {

    private RunnerGauges() {
    }

    static void register(RunnerMetrics m, List<SlotGroup> groups, ClaimBuffer buffer, RunningJobs running, RedisHealth redis,
                         ReadyQueues ready) {
        for (SlotGroup group : groups) {
            GroupWork g = group.work();
            m.gauge(MetricName.of(RunnerMetrics.GROUP_HIGH_SHARE, "group", g.name()), () -> {
                Double share = g.highShare();
                return share == null ? Double.NaN : share;
            });
            m.gauge(MetricName.of(RunnerMetrics.GROUP_UTILISATION, "group", g.name()), g::utilisation);
            m.gauge(MetricName.of(RunnerMetrics.GROUP_SLOTS_BUSY, "group", g.name()), g::busy);
            m.gauge(MetricName.of(RunnerMetrics.GROUP_SLOTS, "group", g.name()), () -> g.settings().slots());
        }
        m.gauge(RunnerMetrics.BUFFERED, buffer::size);
        m.gauge(RunnerMetrics.STUCK_THREADS, () -> groups.stream().mapToInt(SlotGroup::stuck).sum());
        m.gauge(RunnerMetrics.REDIS_REACHABLE, () -> redis.reachable() && ready.lastRefreshOk() ? 1 : 0);
        m.gauge(RunnerMetrics.REDIS_REFUSING_WRITES, () -> redis.refusingWritesForMemory() ? 1 : 0);
        m.gauge(RunnerMetrics.RUNNING, running::size);
    }
}
