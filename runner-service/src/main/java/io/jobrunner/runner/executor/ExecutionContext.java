package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Map;

/**
 * What an executor gets for one run of one job.
 * <ul>
 *   <li>{@link #job()}: the job (full form: id, type, domain, params, ...);</li>
 *   <li>{@link #attempt()}: 1 for the first run;</li>
 *   <li>{@link #timeout()}: the per-type limit; the runner also cancels the run when it is reached;</li>
 *   <li>{@link #metadata()}: the job's metadata to hand on (as environment variables, headers): the producer's,
 *       with this run's trace context in place of the push's when the run is traced;</li>
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

    /** The job's metadata as this run hands it on (see {@link io.jobrunner.client.JobMetadata}). */
    default Map<String, String> metadata() {
        return job().metadata();
    }

    boolean cancelled();

    /** Runs {@code action} once when the run is cancelled (at once if it already is). */
    void onCancel(Runnable action);

    void heartbeat();

    Logger log();
}
