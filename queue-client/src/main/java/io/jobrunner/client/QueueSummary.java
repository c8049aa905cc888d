package io.jobrunner.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue as the overview shows it: one partition, or a logical queue with its partitions added up ({@link #logical}).
 *
 * @param latencyMs age of the oldest ready job (ms since it was pushed, or due when it was delayed), or -1 when
 *                  nothing is ready
 * @param paused    whether runners are told not to claim from it (the queue or its type is paused)
 */
public record QueueSummary(QueueName queue, long ready, long delayed, long claimed, long abandoned, long latencyMs,
                           boolean paused) {

    /** Jobs in any state. */
    public long total() {
        return ready + delayed + claimed + abandoned;
    }

    /**
     * This summary with {@code other}'s added: counts summed, the older latency, paused when either is (a pause
     * covers every partition of a queue, so its partitions agree). Named as this one.
     */
    public QueueSummary plus(QueueSummary other) {
        return new QueueSummary(queue, ready + other.ready, delayed + other.delayed, claimed + other.claimed,
                abandoned + other.abandoned, Math.max(latencyMs, other.latencyMs), paused || other.paused);
    }

    /**
     * The logical queues of these summaries: one per {@code domain/type}, named by {@link QueueName#logical()}, its
     * partitions' summaries added up ({@link #plus}); in the order each logical queue first appears.
     */
    public static List<QueueSummary> logical(Collection<QueueSummary> summaries) {
        Map<QueueName, QueueSummary> sums = new LinkedHashMap<>();
        for (QueueSummary s : summaries) {
            QueueName logical = s.queue().logical();
            QueueSummary named = new QueueSummary(logical, s.ready, s.delayed, s.claimed, s.abandoned, s.latencyMs, s.paused);
            sums.merge(logical, named, QueueSummary::plus);
        }
        return new ArrayList<>(sums.values());
    }
}
