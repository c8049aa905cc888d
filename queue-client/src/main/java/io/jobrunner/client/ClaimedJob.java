package io.jobrunner.client;

/**
 * A job this process holds a claim on. When the stored JSON could not be read, {@code job} is null and
 * {@code malformedReason} says why: the caller abandons it with that reason (it is never lost).
 *
 * @param queue           the queue it came from
 * @param ref             id and claim token
 * @param attempts        this attempt's number (1 for the first run)
 * @param job             the job, or null when malformed
 * @param rawJson         the stored JSON as found
 * @param malformedReason why the JSON could not be read, or null
 */
public record ClaimedJob(QueueName queue, ClaimRef ref, int attempts, Job job, String rawJson, String malformedReason) {

    public String id() {
        return ref.id();
    }

    public boolean isMalformed() {
        return job == null;
    }
}
