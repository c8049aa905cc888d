package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The HTTP endpoint: /health, /status with groups, shares and current jobs, /metrics in Prometheus text. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class HttpStatusIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void statusShowsGroupsSharesAndCurrentJobs(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        CountDownLatch release = new CountDownLatch(1);
        RecordingExecutor blocking = new RecordingExecutor(ctx -> {
            ctx.log().info("waiting for the test");
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return ExecutionResult.retry("interrupted");
            }
            return ExecutionResult.success();
        });
        try (Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner { id = "status-test", jmx.enabled = true, groups.main { slots = 2, types = ["*"], low-priority = ["bulk"] } }
                """), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", blocking)))) {
            runner.start();
            assertThat(runner.httpPort()).isPositive();
            Job job = Job.of("render").inDomain("wiki9");
            client.producer().push(job);
            await().atMost(Duration.ofSeconds(5)).until(() -> blocking.running.get() == 1);

            assertThat(get(runner, "/health").statusCode()).isEqualTo(200);
            JsonNode status = JobCodec.mapper().readTree(get(runner, "/status").body());
            assertThat(status.get("id").asText()).isEqualTo("status-test");
            assertThat(status.get("state").asText()).isEqualTo("RUNNING");
            JsonNode group = status.get("groups").get(0);
            assertThat(group.get("name").asText()).isEqualTo("main");
            assertThat(group.get("slots").asInt()).isEqualTo(2);
            assertThat(group.get("busy").asInt()).isEqualTo(1);
            assertThat(group.get("highShare").asDouble()).isEqualTo(1.0);
            assertThat(group.get("highShareTarget").asDouble()).isEqualTo(0.8);
            JsonNode current = status.get("current").get(0);
            assertThat(current.get("queue").asText()).isEqualTo("wiki9/render");
            assertThat(current.get("id").asText()).isEqualTo(job.id());
            assertThat(current.get("attempt").asInt()).isEqualTo(1);
            assertThat(current.get("elapsedMs").asLong()).isNotNegative();
            assertThat(current.get("slot").asText()).startsWith("slot-main-");

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> client.inspector().counts(job.queue()).total() == 0);
            String metrics = get(runner, "/metrics").body();
            assertThat(metrics).contains("jobs_render_succeeded_total 1.0").contains("jobs_render_run_time")
                    .contains("groups_main_high_share").contains("groups_main_utilisation").contains("runner_redis_errors");
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            assertThat(jmx.getAttribute(new ObjectName("jobrunner.runner:name=jobs.render.succeeded,type=meters"), "Count")).isEqualTo(1L);
            assertThat(jmx.queryNames(new ObjectName("jobrunner.runner:name=groups.main.high-share,*"), null)).hasSize(1);
        }
    }

    private HttpResponse<String> get(Runner runner, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.httpPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
