package io.jobrunner.dashboard;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The queues as the pages and the API show them: one per {@code domain/type} (a logical queue), its partitions'
 * summaries added up by the client's rule ({@link QueueSummary#logical}), with those summaries kept for the
 * per-partition view.
 */
final class LogicalQueues {

    /**
     * A logical queue.
     *
     * @param sum        its partitions added up, named {@code domain/type}
     * @param partitions each partition the registry knows, in partition order (the queue itself when unpartitioned)
     */
    record Logical(QueueSummary sum, List<QueueSummary> partitions) {

        /** True when its jobs are spread over partitions (more than one, or one other than 0). */
        boolean partitioned() {
            return partitions.size() > 1 || partitions.get(0).queue().partition() > 0;
        }
    }

    private final JobRunnerClient client;

    LogicalQueues(JobRunnerClient client) {
        this.client = client;
    }

    /** Every known logical queue, sorted by name. */
    List<Logical> all() {
        return of(client.overview().all());
    }

    /** The logical queue of {@code queue} (any partition of it names it), with every partition the registry knows. */
    Logical one(QueueName queue) {
        return of(client.overview().of(client.inspector().partitions(queue))).get(0);
    }

    /** The summaries grouped by logical queue, sorted by name, partitions in partition order. */
    static List<Logical> of(List<QueueSummary> summaries) {
        Map<String, List<QueueSummary>> byLogical = new TreeMap<>();
        for (QueueSummary s : summaries) {
            byLogical.computeIfAbsent(s.queue().logical().toString(), k -> new ArrayList<>()).add(s);
        }
        List<Logical> out = new ArrayList<>(byLogical.size());
        for (List<QueueSummary> partitions : byLogical.values()) {
            partitions.sort(Comparator.comparingInt(s -> s.queue().partition()));
            out.add(new Logical(QueueSummary.logical(partitions).get(0), List.copyOf(partitions)));
        }
        return out;
    }
}
