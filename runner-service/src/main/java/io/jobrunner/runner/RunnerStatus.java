package io.jobrunner.runner;

import io.jobrunner.client.RedisHealth;

import java.util.List;

/**
 * What {@code /status} shows (as JSON) and {@link Runner#status()} returns.
 *
 * @param id        the runner id
 * @param state     NEW, RUNNING, STOPPING or STOPPED
 * @param startedAt when {@link Runner#start()} was called (ISO-8601), or null
 * @param groups    each enabled group
 * @param current   the jobs running now, longest first
 * @param buffered  jobs claimed and waiting here for a free slot
 * @param totals    jobs started, succeeded, retried, abandoned and given back since start
 * @param redis     whether Redis answers, whether it refuses writes for memory, and its last error
 * @param failure   why the runner stopped itself (an essential thread died), or null
 */
public record RunnerStatus(String id, String state, String startedAt, List<GroupStatus> groups, List<CurrentJob> current,
                           int buffered, Totals totals, RedisHealth.Snapshot redis, String failure) {

    /**
     * @param highShare       the high class's measured share of busy time over the share window (null: idle all window)
     * @param highShareTarget the configured {@code high-share}
     * @param utilisation     busy slot time over available slot time in the share window
     * @param stuck           threads given up while stuck in an executor that have not returned yet
     */
    public record GroupStatus(String name, int slots, int busy, Double highShare, double highShareTarget, double utilisation,
                              List<String> types, List<String> exclude, List<String> lowPriority, int stuck) {
    }

    /** @param elapsedMs time since the run started */
    public record CurrentJob(String queue, String id, int attempt, long elapsedMs, String slot) {
    }

    public record Totals(long started, long succeeded, long retried, long abandoned, long requeued) {
    }
}
