package io.jobrunner.client;

import java.util.List;
import java.util.Map;

/**
 * Traces pushes and runs, and carries the trace context from one to the other in each job's metadata.
 * <ol>
 *   <li>{@link #startPush}: around one push call: hands back the jobs to store, each carrying the push's trace
 *       context in its metadata ({@code traceparent}, ...) unless the producer set a {@code traceparent} itself;</li>
 *   <li>{@link #startRun}: around one run of a job, on the thread that runs it: continues the trace the job's
 *       metadata carries, is current on that thread until closed, and gives the metadata an executor hands on
 *       (the run's own context in place of the producer's, so a process or a service called is its child).</li>
 * </ol>
 * {@link #detect()} is what clients use unless told otherwise: {@link OpenTelemetryTracing} when the OpenTelemetry
 * API is on the classpath (an optional dependency of this module), else {@link #none()}. Without an OpenTelemetry
 * SDK nothing is recorded, and a {@code traceparent} the producer set still reaches every executor as it is.
 * Implementations never fail a push or a run: tracing is best effort.
 */
public interface JobTracing {

    /** Starts the trace of one push of these (already valid) jobs. */
    PushTrace startPush(List<Job> jobs);

    /** Starts the trace of one run of {@code job}, current on the calling thread until {@link RunTrace#close()}. */
    RunTrace startRun(Job job, int attempt);

    /** One push call's trace. */
    interface PushTrace {
        /** The jobs to push: the given ones, with this push's trace context added to their metadata. */
        List<Job> jobs();

        /** Ends the trace; {@code failure} is null when the push succeeded. */
        void end(Throwable failure);
    }

    /** One run's trace; close it on the thread that started it. */
    interface RunTrace extends AutoCloseable {
        /** The metadata executors hand on: the job's, with this run's trace context when it is recorded. */
        Map<String, String> metadata();

        /** Records how the run ended: {@code outcome} names it, {@code error} is null on success. */
        void finished(String outcome, String error);

        /** Ends the trace and leaves the thread's context as it was. */
        @Override
        void close();
    }

    /** Traces nothing; executors get each job's metadata as it was pushed. */
    static JobTracing none() {
        return NoTracing.INSTANCE;
    }

    /** OpenTelemetry's global instance when its API is on the classpath, else {@link #none()}. */
    static JobTracing detect() {
        try {
            Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, JobTracing.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return none();
        }
        return OpenTelemetryTracing.global();
    }

    /** The no-op tracing. */
    enum NoTracing implements JobTracing {
        INSTANCE;

        @Override
        public PushTrace startPush(List<Job> jobs) {
            return new PushTrace() {
                @Override
                public List<Job> jobs() {
                    return jobs;
                }

                @Override
                public void end(Throwable failure) {
                }
            };
        }

        @Override
        public RunTrace startRun(Job job, int attempt) {
            return new RunTrace() {
                @Override
                public Map<String, String> metadata() {
                    return job.metadata();
                }

                @Override
                public void finished(String outcome, String error) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
