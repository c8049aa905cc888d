package io.jobrunner.runner.executor;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.JobRunnerClient;

import java.util.Objects;

/**
 * What the runner shares with the executors it builds: the process's Redis client (for locks and leases,
 * e.g. the per-repository lock of the git executors) and its metric registry. Handed to
 * {@link ExecutorFactory#create(String, com.typesafe.config.Config, String, ExecutorServices)}.
 *
 * @param client  the runner's shared client; executors never close it
 * @param metrics the runner's registry, where executors add their own timers and meters
 */
public record ExecutorServices(JobRunnerClient client, MetricRegistry metrics) {

    public ExecutorServices {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(metrics, "metrics");
    }
}
