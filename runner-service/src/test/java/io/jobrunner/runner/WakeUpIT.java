package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A push to an empty queue reaches an idle slot through the wake-up channel, not the fallback: the refresh
 * interval is set far beyond the test's wait. Prints the push-to-start latency it saw (no assertion on speed).
 */
@ExtendWith(RedisExtension.class)
class WakeUpIT {

    @Test
    void aWakeUpReachesAnIdleSlotDirectly(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        RecordingExecutor executor = new RecordingExecutor(ctx -> {
            startedAt.put(ctx.job().id(), System.nanoTime());
            return ExecutionResult.success();
        });
        try (Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner { refresh-interval = 10m, groups { a { slots = 8, types = ["*"] }, b { slots = 8, types = ["other"] } } }
                """), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)))) {
            runner.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> runner.status().state().equals("RUNNING"));
            int n = 300;
            long[] latencies = new long[n];
            for (int i = 0; i < n; i++) {
                Job job = Job.of("ping").inDomain("d" + (i % 3));
                long pushed = System.nanoTime();
                client.producer().push(job);
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> startedAt.containsKey(job.id()));
                latencies[i] = startedAt.get(job.id()) - pushed;
            }
            Arrays.sort(latencies);
            System.out.printf("push -> handler start on an idle runner (%d pushes, loopback): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                    n, latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6, latencies[n - 1] / 1e6);
            assertThat(executor.count()).isEqualTo(n);
        }
    }
}
