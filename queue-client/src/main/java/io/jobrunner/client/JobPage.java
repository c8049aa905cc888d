package io.jobrunner.client;

import java.util.List;

/** One page of a queue's jobs in one state: {@code jobs} from {@code offset}, of {@code total} in that state. */
public record JobPage(QueueName queue, JobState state, int offset, int limit, long total, List<JobInfo> jobs) {
}
