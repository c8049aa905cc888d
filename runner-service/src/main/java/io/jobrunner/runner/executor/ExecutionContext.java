package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;
import org.slf4j.Logger;

import java.time.Duration;

/**
 * What an executor gets for one run of one job.
 * <ul>
 *   <li>{@link #job()}: the job (full form: id, type, domain, params, ...);</li>
 *   <li>{@link #attempt()}: 1 for the first run;</li>
 *   <li>{@link #timeout()}: the per-type limit; the runner also cancels the run when it is reached;</li>
 *   <li>{@link #cancelled()}: true once the run must stop (timeout or shutdown); executors poll it or
 *       register {@link #onCancel} to stop blocking work;</li>
 *   <li>{@link #heartbeat()}: extends the claim now (the runner also does this on a timer);</li>
 *   <li>{@link #log()}: a logger whose lines carry the queue and job id.</li>
 * </ul>
 */
public interface ExecutionContext {

    Job job();

    int attempt();

    Duration timeout();

    boolean cancelled();

    /** Runs {@code action} once when the run is cancelled (at once if it already is). */
    void onCancel(Runnable action);

    void heartbeat();

    Logger log();
}
