package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.service.metrics.MetricSpec;
import io.jobrunner.testing.PrometheusText;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP endpoint: the probes, /status with groups, shares and current jobs, /metrics in Prometheus text as a
 * scraper parses it, exact paths and methods.
 */
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

            assertThat(get(runner, "/livez").statusCode()).isEqualTo(200);
            assertThat(get(runner, "/readyz").statusCode()).isEqualTo(200);
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
            PrometheusText page = PrometheusText.parse(get(runner, "/metrics").body());
            assertThat(((Counter) page.series("jobrunner_jobs_succeeded_total", Map.of("type", "render")).get(0)).getValue()).isEqualTo(1.0);
            Histogram runTime = (Histogram) page.series("jobrunner_job_run_seconds", Map.of("type", "render")).get(0);
            assertThat(runTime.getSampleCount()).isEqualTo(1);
            assertThat(runTime.getSampleSum()).isPositive();
            assertThat(page.series("jobrunner_group_high_share_ratio", Map.of("group", "main"))).hasSize(1);
            assertThat(page.series("jobrunner_group_utilisation_ratio", Map.of("group", "main"))).hasSize(1);
            assertThat(page.family("jobrunner_runner_redis_errors_total").orElseThrow().getType()).isEqualTo(MetricType.COUNTER);
            assertThat(page.family("jvm_memory_bytes_used")).as("JVM metrics").isPresent();
            assertThat(page.family("process_cpu_seconds_total")).as("process metrics").isPresent();
            for (MetricFamily family : page.families()) {
                assertThat(family.getName()).as("only labelled jobrunner_ families, and the JVM's and the process's")
                        .matches("(jobrunner|jvm|process)_[a-z0-9_]+");
                if (family.getName().startsWith("jobrunner_")) {
                    MetricSpec spec = RunnerMetrics.SPECS.stream().filter(m -> m.name().equals(family.getName())).findFirst()
                            .orElseThrow(() -> new AssertionError("no spec for " + family.getName()));
                    assertThat(family.getHelp()).isEqualTo(spec.help());
                    assertThat(family.getType().name()).isEqualTo(spec.type().name());
                }
            }
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            assertThat(jmx.queryNames(new ObjectName("jobrunner.runner:*"), null))
                    .as("the same meters over JMX").anyMatch(n -> n.getKeyProperty("name").contains("jobrunner_jobs_succeeded{type=render}"));
        }
    }

    @Test
    void typesThatDifferOnlyInPunctuationAreDistinctSeries(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor executor = RecordingExecutor.succeeding();
        try (Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner.groups.main { slots = 2, types = [\"*\"] }"), client,
                new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)))) {
            runner.start();
            client.producer().push(List.of(Job.of("a.b"), Job.of("a_b"), Job.of("a_b"), Job.of("a-b"), Job.of("a-b"), Job.of("a-b")));
            await().atMost(Duration.ofSeconds(10)).until(() -> executor.count() == 6);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                PrometheusText page = PrometheusText.parse(get(runner, "/metrics").body());
                Map<String, Double> byType = new java.util.TreeMap<>();
                page.series("jobrunner_jobs_succeeded_total", Map.of()).forEach(m -> byType.put(m.getLabels().get("type"), ((Counter) m).getValue()));
                assertThat(byType).isEqualTo(Map.of("a.b", 1.0, "a_b", 2.0, "a-b", 3.0));
            });
        }
    }

    @Test
    void pathsMatchExactlyAndOnlyGetAndHeadAreAllowed(TestRedis redis) throws Exception {
        try (Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner.groups.main { slots = 1, types = [\"*\"] }"), redis.client(),
                new MetricRegistry(), ExecutorLookup.of(Map.of("*", RecordingExecutor.succeeding())))) {
            runner.start();
            HttpResponse<String> live = get(runner, "/livez");
            assertThat(live.statusCode()).isEqualTo(200);
            JsonNode body = JobCodec.mapper().readTree(live.body());
            assertThat(body.get("status").asText()).isEqualTo("ok");
            assertThat(body.get("checks").get("heartbeat").asText()).startsWith("thread runner-heartbeat alive");
            assertThat(body.get("checks").get("group main").asText()).isEqualTo("1 of 1 slot threads alive");
            JsonNode ready = JobCodec.mapper().readTree(get(runner, "/readyz").body());
            assertThat(ready.get("checks").get("redis").asText()).startsWith("PONG in ");
            assertThat(get(runner, "/health").statusCode()).as("the old path answers as /readyz").isEqualTo(200);

            for (String path : List.of("/healthz", "/metricsfoo", "/livez/x", "/", "/status/")) {
                assertThat(get(runner, path).statusCode()).as(path).isEqualTo(404);
            }
            for (String method : List.of("DELETE", "POST", "PUT")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(runner, "/health")).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(method).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
            }
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri(runner, "/readyz")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    private static URI uri(Runner runner, String path) {
        return URI.create("http://127.0.0.1:" + runner.httpPort() + path);
    }

    private HttpResponse<String> get(Runner runner, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(runner, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
