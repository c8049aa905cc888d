package io.jobrunner.spring;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.JobRunner;
import io.jobrunner.runner.RunnerStatus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jobRunner} health component: up while Redis answers a PING (within the command timeout) and the runner,
 * when this application runs one, is running and its last read of Redis worked. Details: Redis, and the runner's
 * id, state, groups with busy slots and the jobs running now.
 */
public class JobRunnerHealthIndicator extends AbstractHealthIndicator {

    private final JobRunnerClient client;
    private final JobRunnerLifecycle lifecycle;

    /** @param lifecycle the runner's lifecycle, or null when this application only pushes */
    public JobRunnerHealthIndicator(JobRunnerClient client, JobRunnerLifecycle lifecycle) {
        super("jobrunner health check failed");
        this.client = client;
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        String pong = client.redisAsync().ping().get(client.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        builder.withDetail("redis", "PONG".equals(pong) ? "reachable" : "answered " + pong);
        JobRunner runner = lifecycle == null ? null : lifecycle.runner();
        if (runner == null) {
            builder.up().withDetail("runner", "none in this application");
            return;
        }
        RunnerStatus status = runner.status();
        Map<String, String> groups = new LinkedHashMap<>();
        status.groups().forEach(g -> groups.put(g.name(), g.busy() + " of " + g.slots() + " slots busy"));
        builder.withDetail("runner", Map.of("id", status.id(), "state", status.state(), "groups", groups,
                "running", status.current().size()));
        if (runner.isHealthy()) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
