package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.ClientSettings;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away and comes back on the same port: the chron stays live, is not ready while Redis is gone (and
 * says it is a standby), logs its lease failures (every 200 ms) in a line or two instead of five a second, says
 * once that Redis is back, and leads again.
 */
@Timeout(120)
class ChronRedisOutageIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void livenessStaysUpReadinessFollowsRedisAndTheLogSaysWhenRedisIsBack() throws Exception {
        try (RedisOutage outage = RedisOutage.start(Chron.class);
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(outage.uri()).withPrefix("outage")
                     .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(2)));
             Chron chron = Chron.create(TestConfigs.config("jobrunner.chron { lease-ttl = 1s, interval = 100ms, http { enabled = true, port = 0 } }"),
                     client, new MetricRegistry())) {
            chron.start();
            await().atMost(Duration.ofSeconds(10)).until(chron::isLeader);
            assertThat(get(chron, "/readyz").statusCode()).isEqualTo(200);

            outage.begin();
            await().atMost(Duration.ofSeconds(15)).until(() -> get(chron, "/readyz").statusCode() == 503);
            assertThat(JobCodec.mapper().readTree(get(chron, "/readyz").body()).get("reason").asText()).startsWith("redis: ");
            for (int i = 0; i < 6; i++) { // about 3 s of outage, probed as a kubelet would
                HttpResponse<String> live = get(chron, "/livez");
                assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
                Thread.sleep(500);
            }
            JsonNode checks = JobCodec.mapper().readTree(get(chron, "/readyz").body()).get("checks");
            assertThat(checks.get("role").asText()).isEqualTo("standby");
            assertThat(outage.warnings()).as("lease retries every 200 ms for 3 s: logged once, the rest counted").isBetween(1L, 3L);

            outage.end();
            await().atMost(Duration.ofSeconds(20)).until(() -> get(chron, "/readyz").statusCode() == 200);
            await().atMost(Duration.ofSeconds(20)).until(chron::isLeader);
            assertThat(outage.messages()).anyMatch(m -> m.startsWith("Redis reachable again after "));
        }
    }

    private HttpResponse<String> get(Chron chron, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chron.httpPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
