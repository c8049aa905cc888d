package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An essential thread (heartbeat, timeouts) dying of an Error does not leave a runner that looks healthy while its
 * claims go unextended: the runner reports the failure, fails its health check and stops, giving its jobs back.
 */
@Timeout(60)
@ExtendWith(RedisExtension.class)
class RunnerFailureIT {

    @Test
    void aDeadHeartbeatThreadStopsTheRunnerAndItsJobsGoBack(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        QueueName queue = new QueueName("default", "long");
        RecordingExecutor slow = new RecordingExecutor(ctx -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                return ExecutionResult.retry("interrupted");
            }
            return ExecutionResult.success();
        });
        Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner { shutdown-grace = 200ms, groups.all { slots = 1, types = [\"*\"] } }"),
                client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", slow)));
        runner.start();
        client.producer().push(Job.of("long"));
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.running.get() == 1);
        assertThat(runner.isHealthy()).isTrue();

        runner.threadDied(new Thread("runner-heartbeat"), new OutOfMemoryError("simulated")); // as its uncaught handler would

        assertThat(runner.failure().get(5, TimeUnit.SECONDS)).contains("runner-heartbeat").contains("OutOfMemoryError");
        assertThat(runner.isHealthy()).isFalse();
        assertThat(runner.awaitStopped(Duration.ofSeconds(20))).isTrue();
        assertThat(runner.status().failure()).contains("simulated");
        var counts = client.inspector().counts(queue);
        assertThat(counts.claimed()).as("the running job was given back").isZero();
        assertThat(counts.ready()).isEqualTo(1);
    }
}
