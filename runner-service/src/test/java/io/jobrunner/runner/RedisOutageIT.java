package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.RedisOutage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away and comes back on the same port: the runner stays live (so a liveness probe never restarts
 * it), is not ready while Redis is gone (with the reason), logs the outage in a few lines instead of one per
 * slot per second, says once that Redis is back, and runs jobs again.
 */
@Timeout(120)
class RedisOutageIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void livenessStaysUpReadinessFollowsRedisAndTheLogSaysWhenRedisIsBack() throws Exception {
        try (RedisOutage outage = RedisOutage.start(Runner.class);
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(outage.uri()).withPrefix("outage")
                     .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2)))) {
            RecordingExecutor executor = RecordingExecutor.succeeding();
            try (Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner { refresh-interval = 200ms, groups.all { slots = 4, types = [\"*\"] } }"),
                    client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)))) {
                runner.start();
                client.producer().push(Job.of("before"));
                await().atMost(Duration.ofSeconds(10)).until(() -> executor.count() == 1);
                assertThat(get(runner, "/readyz").statusCode()).isEqualTo(200);

                outage.begin();
                await().atMost(Duration.ofSeconds(15)).until(() -> get(runner, "/readyz").statusCode() == 503);
                JsonNode notReady = JobCodec.mapper().readTree(get(runner, "/readyz").body());
                assertThat(notReady.get("status").asText()).isEqualTo("failing");
                assertThat(notReady.get("reason").asText()).startsWith("redis: ");
                for (int i = 0; i < 6; i++) { // about 3 s of outage, probed as a kubelet would
                    HttpResponse<String> live = get(runner, "/livez");
                    assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
                    Thread.sleep(500);
                }
                assertThat(outage.warnings()).as("4 slots and a refresh every 200 ms for 3 s: logged once, the rest counted")
                        .isBetween(1L, 2L);

                outage.end();
                await().atMost(Duration.ofSeconds(20)).until(() -> get(runner, "/readyz").statusCode() == 200);
                await().atMost(Duration.ofSeconds(10)).until(() -> outage.messages().stream()
                        .anyMatch(m -> m.startsWith("Redis reachable again after ")));
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                    client.producer().push(Job.of("after"));
                    return true;
                });
                await().atMost(Duration.ofSeconds(20)).until(() -> executor.count() >= 2);
            }
        }
    }

    private HttpResponse<String> get(Runner runner, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.httpPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
