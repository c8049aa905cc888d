package io.jobrunner.client;

/**
 * The Redis keys of one queue. All share the hash tag {@code {domain/type}}, so every per-queue script
 * touches one Redis Cluster slot.
 */
public record QueueKeys(QueueName queue, String ready, String delayed, String claimed, String abandoned,
                        String data, String meta, String dedup, String roots, String rootsWritten, String expired,
                        String unique, String prioritized) {
}
