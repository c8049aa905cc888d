package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;

import java.util.Map;

/**
 * What an executor gets for one run of one job: the {@link JobContext} a handler gets, plus the job itself.
 * <ul>
 *   <li>{@link #job()}: the job (full form: id, type, domain, params, ...);</li>
 *   <li>{@link #metadata()}: the job's metadata to hand on (as environment variables, headers): the producer's,
 *       with this run's trace context in place of the push's when the run is traced;</li>
 *   <li>the rest as in {@link JobContext}: attempt, timeout, cancellation, heartbeat, log.</li>
 * </ul>
 */
public interface ExecutionContext extends JobContext {

    Job job();

    /** The job's metadata as this run hands it on (see {@link io.jobrunner.client.JobMetadata}). */
    @Override
    default Map<String, String> metadata() {
        return job().metadata();
    }
}
