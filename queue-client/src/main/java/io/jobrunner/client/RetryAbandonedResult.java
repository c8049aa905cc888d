package io.jobrunner.client;

/** Abandoned jobs moved back to ready with attempts reset; {@code more}: call again. */
public record RetryAbandonedResult(int moved, boolean readyWasEmpty, boolean more) {
}
