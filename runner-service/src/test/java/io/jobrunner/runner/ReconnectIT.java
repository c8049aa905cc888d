package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Dropped connections (pub/sub and commands) are re-established and the runner goes on serving pushes. */
@Timeout(120)
class ReconnectIT {

    @Test
    void theRunnerRecoversFromDroppedConnections(/* a Redis of its own: the test kills every client */) {
        try (RunningRedis server = RedisServers.startDedicated();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(server.uri()).withPrefix("rc"));
             JobRunnerClient admin = JobRunnerClient.connect(ClientSettings.of(server.uri()).withPrefix("rc"))) {
            RecordingExecutor executor = RecordingExecutor.succeeding();
            try (Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner { refresh-interval = 500ms, groups.all { slots = 4, types = [\"*\"] } }"),
                    client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)))) {
                runner.start();
                admin.producer().push(Job.of("before"));
                await().atMost(Duration.ofSeconds(10)).until(() -> executor.count() == 1);

                long killed = admin.redis().clientKill(KillArgs.Builder.typePubsub())
                        + admin.redis().clientKill(KillArgs.Builder.typeNormal().skipme());
                assertThat(killed).isGreaterThanOrEqualTo(2);

                for (int i = 0; i < 20; i++) {
                    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                        admin.producer().push(Job.of("after"));
                        return true;
                    });
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> executor.count() == 21);
                await().atMost(Duration.ofSeconds(10)).until(runner::isHealthy);
            }
        }
    }
}
