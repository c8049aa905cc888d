package io.jobrunner.runner.executor;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link JobHandler} gets besides the job, for one run:
 * <ul>
 *   <li>{@link #attempt()}: 1 for the first run, 2 for the first retry, ...;</li>
 *   <li>{@link #timeout()}: how long the run may take before it is cancelled;</li>
 *   <li>{@link #metadata()} and {@link #traceparent()}: what the producer set beside the params (with this run's
 *       trace context when OpenTelemetry traces it: the run's span is then also current on the handler's thread);</li>
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

    /** The job's metadata, with this run's trace context when the run is traced. */
    Map<String, String> metadata();

    /** The W3C trace context of this run (or of the push, when only the producer traced), if there is one. */
    default Optional<String> traceparent() {
        return Optional.ofNullable(metadata().get(io.jobrunner.client.JobMetadata.TRACEPARENT));
    }

    boolean cancelled();

    /** Runs {@code action} once when the run is cancelled (at once, on the calling thread, if it already is). */
    void onCancel(Runnable action);

    void heartbeat();

    Logger log();
}
