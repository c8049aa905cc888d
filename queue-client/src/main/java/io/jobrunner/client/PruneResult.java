package io.jobrunner.client;

/** What one prune call deleted: old abandoned jobs and old root entries; {@code more}: call again. */
public record PruneResult(int prunedJobs, int prunedRoots, boolean more) {
}
