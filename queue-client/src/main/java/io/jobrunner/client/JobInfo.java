package io.jobrunner.client;

/**
 * One job as an operator sees it.
 *
 * @param queue           its queue
 * @param id              its id
 * @param state           where it is
 * @param attempts        attempts so far (0 when never claimed)
 * @param lastError       the last error stored, or null
 * @param stateSince      epoch ms of the state's time: release time (delayed), claim deadline (claimed),
 *                        abandoned at (abandoned); null for ready
 * @param job             the job, or null when its JSON is missing or cannot be read
 * @param rawJson         the stored JSON, or null when missing
 * @param malformedReason why the JSON could not be read, or null
 */
public record JobInfo(QueueName queue, String id, JobState state, int attempts, String lastError, Long stateSince,
                      Job job, String rawJson, String malformedReason) {
}
