package io.jobrunner.runner.executor;

import org.slf4j.Logger;

import java.time.Duration;

/**
 * What a {@link JobHandler} gets besides the job, for one run:
 * <ul>
 *   <li>{@link #attempt()}: 1 for the first run, 2 for the first retry, ...;</li>
 *   <li>{@link #timeout()}: how long the run may take before it is cancelled;</li>
 *   <li>{@link #cancelled()} and {@link #onCancel}: the run must stop (timeout or runner shutdown); the
 *       handler's thread is also interrupted;</li>
 *   <li>{@link #heartbeat()}: tells the runner the job is alive now (the runner also does so on a timer,
 *       so calling it is optional);</li>
 *   <li>{@link #log()}: a logger whose lines carry the queue and job id.</li>
 * </ul>
 */
public interface JobContext {

    int attempt();

    Duration timeout();

    boolean cancelled();

    /** Runs {@code action} once when the run is cancelled (at once, on the calling thread, if it already is). */
    void onCancel(Runnable action);

    void heartbeat();

    Logger log();
}
