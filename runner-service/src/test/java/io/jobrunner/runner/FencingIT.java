package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fencing: a runner cut off from Redis (frozen with SIGSTOP) cancels its run once no heartbeat has landed for four
 * fifths of the claim TTL, before the claim can expire and the job be given to another runner.
 */
@Timeout(60)
class FencingIT {

    @TempDir
    Path dir;

    @Test
    void aRunWhoseHeartbeatsDoNotLandIsCancelledBeforeItsClaimExpires() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        RecordingExecutor longRun = new RecordingExecutor(ctx -> {
            ctx.onCancel(cancelled::countDown);
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                return ExecutionResult.retry("cancelled");
            }
            return ExecutionResult.success();
        });
        MetricRegistry metrics = new MetricRegistry();
        try (RedisProcess redis = RedisProcess.onFreePort(dir).start();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(redis.uri())
                     .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500)))) {
            Runner runner = Runner.create(RunnerConfigs.of("""
                    jobrunner.runner { shutdown-grace = 100ms, groups.all { slots = 1, types = ["*"] } }
                    jobrunner.limits.claim-ttl { "*" = 1500ms }
                    """), client, metrics, ExecutorLookup.of(Map.of("*", longRun)));
            try {
                runner.start();
                client.producer().push(Job.of("long"));
                await().atMost(Duration.ofSeconds(10)).until(() -> longRun.running.get() == 1);

                redis.freeze();
                try {
                    assertThat(cancelled.await(10, TimeUnit.SECONDS)).as("the run was cancelled").isTrue();
                    assertThat(metrics.meter("jobrunner_runner_claims_fenced").getCount()).isEqualTo(1);
                } finally {
                    redis.thaw();
                }
            } finally {
                runner.stop(Duration.ofMillis(100));
            }
        }
    }
}
