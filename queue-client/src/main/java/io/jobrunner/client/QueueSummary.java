package io.jobrunner.client;

/**
 * A queue as the overview shows it.
 *
 * @param latencyMs age of the oldest ready job (ms since it was pushed, or due when it was delayed), or -1 when
 *                  nothing is ready
 * @param paused    whether runners are told not to claim from it (the queue or its type is paused)
 */
public record QueueSummary(QueueName queue, long ready, long delayed, long claimed, long abandoned, long latencyMs,
                           boolean paused) {
}
