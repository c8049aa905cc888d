package io.jobrunner.client;

/**
 * What one recycle call did to a queue's expired claims.
 *
 * @param recycled      claims put back at the claim end of ready
 * @param abandoned     claims out of attempts, now abandoned
 * @param readyWasEmpty the queue became ready through this call
 * @param more          the batch was full: call again
 * @param nextDue       epoch ms (server clock) of the queue's next claim deadline or release time, -1 when none
 * @param unstarted     of the recycled, claims never started (buffered in a runner that died): attempt given back
 */
public record RecycleResult(int recycled, int abandoned, boolean readyWasEmpty, boolean more, long nextDue, int unstarted) {
}
