package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.JobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Workers inside an application, set up in plain Java: no config file, no metric registry to build.
 * <pre>{@code
 * JobRunner workers = JobRunner.builder()
 *         .redis("redis://127.0.0.1:6379")
 *         .group("basic", 8, "sendMail", "resizeImage")
 *         .handler("sendMail", job -> mailer.send(job.params().get("to").asText()))
 *         .handler("resizeImage", (job, context) -> images.resize(job.params(), context::cancelled))
 *         .start();
 * workers.client().producer().push(Job.of("sendMail", Map.of("to", "ada@example.org")));
 * ...
 * workers.close();   // graceful: stop claiming, let running jobs finish (shutdown grace), give the rest back
 * }</pre>
 * <ol>
 *   <li>{@link #builder()} sets it up ({@link JobRunnerBuilder}: groups, handlers, limits, each checked with the
 *       daemon's rules when built);</li>
 *   <li>{@link #start()} starts the slots: it is a {@link Runner}, the same the daemon runs;</li>
 *   <li>{@link #stop()} / {@link #close()} stop it gracefully, close the handlers (those that are
 *       {@link AutoCloseable}) and the client if the runner connected it itself. Delivery stays at least once: a
 *       job cut off by the stop is given back, not lost.</li>
 * </ol>
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final Runner runner;
    private final JobRunnerClient client;
    private final boolean ownsClient;
    private final List<JobExecutor> executors;
    private final MetricRegistry metrics;
    private boolean closed;

    JobRunner(Runner runner, JobRunnerClient client, boolean ownsClient, List<JobExecutor> executors, MetricRegistry metrics) {
        this.runner = runner;
        this.client = client;
        this.ownsClient = ownsClient;
        this.executors = executors;
        this.metrics = metrics;
    }

    public static JobRunnerBuilder builder() {
        return new JobRunnerBuilder();
    }

    /** Starts the slots; returns this. Throws when Redis cannot be reached. */
    public JobRunner start() {
        try {
            runner.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Stops gracefully with the configured shutdown grace, then frees what it holds; true when every job finished. */
    public boolean stop() {
        return stop(runner.settings().shutdownGrace());
    }

    /** Stops gracefully, giving running jobs up to {@code grace}; true when every running job finished in time. */
    public boolean stop(Duration grace) {
        boolean clean = runner.stop(grace);
        release();
        return clean;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** The client the runner uses: push with {@code client().producer()}. */
    public JobRunnerClient client() {
        return client;
    }

    /** The runner's metrics (names in runner-service's README). */
    public MetricRegistry metrics() {
        return metrics;
    }

    /** True while running and its last read of Redis worked. */
    public boolean isHealthy() {
        return runner.isHealthy();
    }

    /** Groups, busy slots, measured shares and the jobs running now. */
    public RunnerStatus status() {
        return runner.status();
    }

    public String id() {
        return runner.id();
    }

    private synchronized void release() {
        if (closed) {
            return;
        }
        closed = true;
        for (JobExecutor executor : executors) {
            try {
                executor.close();
            } catch (RuntimeException e) {
                log.warn("closing {} failed: {}", executor, e.toString());
            }
        }
        if (ownsClient) {
            client.close();
        }
    }
}
