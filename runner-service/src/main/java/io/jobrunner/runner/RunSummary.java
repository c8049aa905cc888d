package io.jobrunner.runner;

import java.time.Duration;

/**
 * What a bounded run did ({@link Runner#runBounded}).
 *
 * @param reason    why it ended: MAX_JOBS, MAX_TIME or EMPTY
 * @param started   jobs whose executor was called
 * @param succeeded jobs acked
 * @param retried   jobs released for another attempt
 * @param abandoned jobs abandoned (permanent failure, out of attempts, unreadable, no executor)
 * @param requeued  jobs given back unrun or at shutdown (attempt not counted)
 * @param elapsed   wall time of the run
 */
public record RunSummary(Reason reason, long started, long succeeded, long retried, long abandoned, long requeued, Duration elapsed) {

    public enum Reason { MAX_JOBS, MAX_TIME, EMPTY }
}
