package io.jobrunner.client;

/**
 * What one promote call did: delayed jobs due by now moved to ready.
 *
 * @param nextDue epoch ms of the queue's next release time or claim deadline, -1 when none
 */
public record PromoteResult(int promoted, boolean readyWasEmpty, boolean more, long nextDue) {
}
