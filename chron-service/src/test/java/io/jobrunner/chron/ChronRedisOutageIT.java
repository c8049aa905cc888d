package io.jobrunner.chron;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
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
        assumeThat(RedisServers.findRedisServerOnPath()).as("restarting Redis on its port needs redis-server on PATH").isPresent();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger chronLog = (Logger) LoggerFactory.getLogger(Chron.class);
        chronLog.addAppender(lines);
        RunningRedis first = RedisServers.startDedicated();
        int port = URI.create(first.uri()).getPort();
        RunningRedis second = null;
        try (JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(first.uri()).withPrefix("outage")
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            Chron chron = Chron.create(TestConfigs.config("jobrunner.chron { lease-ttl = 1s, interval = 100ms, http { enabled = true, port = 0 } }"),
                    client, new com.codahale.metrics.MetricRegistry());
            try (chron) {
                chron.start();
                await().atMost(Duration.ofSeconds(10)).until(chron::isLeader);
                assertThat(get(chron, "/readyz").statusCode()).isEqualTo(200);

                first.close();
                await().atMost(Duration.ofSeconds(15)).until(() -> get(chron, "/readyz").statusCode() == 503);
                JsonNode notReady = JobCodec.mapper().readTree(get(chron, "/readyz").body());
                assertThat(notReady.get("reason").asText()).startsWith("redis: ");
                for (int i = 0; i < 6; i++) { // about 3 s of outage, probed as a kubelet would
                    HttpResponse<String> live = get(chron, "/livez");
                    assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
                    Thread.sleep(500);
                }
                assertThat(JobCodec.mapper().readTree(get(chron, "/readyz").body()).get("checks").get("role").asText()).isEqualTo("standby");
                long warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
                assertThat(warnings).as("lease retries every 200 ms for 3 s: logged once, the rest counted").isBetween(1L, 3L);

                second = RedisServers.startOnPort(port).orElseThrow();
                await().atMost(Duration.ofSeconds(20)).until(() -> get(chron, "/readyz").statusCode() == 200);
                await().atMost(Duration.ofSeconds(20)).until(chron::isLeader);
                assertThat(lines.list).anyMatch(e -> e.getFormattedMessage().startsWith("Redis reachable again after "));
            }
        } finally {
            chronLog.detachAppender(lines);
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private HttpResponse<String> get(Chron chron, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chron.httpPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
