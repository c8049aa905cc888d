package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push to an empty queue reaches an idle slot through the wake-up channel, not the fallback: the refresh
 * interval is set far beyond the test's waits. Prints the push-to-handler-start latency it saw (no assertion on
 * speed: the machine may be busy).
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class WakeUpIT {

    @Test
    void aWakeUpReachesAnIdleSlotDirectly(TestRedis redis) throws Exception {
        JobRunnerClient runnerClient = redis.client();
        JobRunnerClient producerClient = redis.client();
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
        RecordingExecutor executor = new RecordingExecutor(ctx -> {
            startedAt.put(ctx.job().id(), System.nanoTime());
            started.get(ctx.job().id()).countDown();
            return ExecutionResult.success();
        });
        try (Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner { refresh-interval = 10m, groups { a { slots = 8, types = ["*"] }, b { slots = 8, types = ["other"] } } }
                """), runnerClient, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)))) {
            runner.start();
            int n = 500;
            long[] latencies = new long[n];
            for (int i = 0; i < n; i++) {
                Job job = Job.of("ping").inDomain("d" + (i % 3));
                CountDownLatch latch = new CountDownLatch(1);
                started.put(job.id(), latch);
                long pushed = System.nanoTime();
                producerClient.producer().push(job);
                assertThat(latch.await(10, TimeUnit.SECONDS)).as("job %d started through its wake-up", i).isTrue();
                latencies[i] = startedAt.get(job.id()) - pushed;
            }
            Arrays.sort(latencies);
            System.out.printf("push -> handler start on an idle runner (%d pushes, loopback, push call included): "
                            + "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%n",
                    n, latencies[n / 2] / 1e6, latencies[(int) (n * 0.9)] / 1e6, latencies[(int) (n * 0.99)] / 1e6);
            assertThat(executor.runsById).hasSize(n); // counted before the handler ran
        }
    }
}
