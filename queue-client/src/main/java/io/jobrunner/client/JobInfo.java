package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

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

    /**
     * As JSON for tools and the HTTP API: {@code id, queue, state, attempts, ageMillis, stateSince, lastError}, and
     * {@code job} (the whole job) or, when it cannot be read, {@code malformed} and {@code raw}.
     *
     * @param now epoch ms the age is measured to
     */
    public ObjectNode toJson(long now) {
        ObjectNode node = JobCodec.mapper().createObjectNode()
                .put("id", id)
                .put("queue", queue.toString())
                .put("state", state.label())
                .put("attempts", attempts);
        if (job != null) {
            node.put("ageMillis", now - job.enqueuedAt());
        }
        if (stateSince != null) {
            node.put("stateSince", stateSince);
        }
        node.put("lastError", lastError);
        if (job != null) {
            node.set("job", JobCodec.mapper().valueToTree(job));
        } else {
            node.put("malformed", malformedReason);
            node.put("raw", rawJson);
        }
        return node;
    }
}
