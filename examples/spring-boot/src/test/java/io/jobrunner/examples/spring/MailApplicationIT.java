package io.jobrunner.examples.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobrunner.client.QueueName;
import io.jobrunner.spring.JobRunnerLifecycle;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the example application as written (its application.yml, a web server on a free loopback port) against a
 * real Redis, signs up users over HTTP, and checks that every welcome mail is sent by the handler bean, that
 * Actuator shows the jobRunner health component and the jobrunner meters, and that closing the application stops
 * the runner cleanly with nothing left claimed.
 */
@Timeout(180)
@ExtendWith(RedisExtension.class)
class MailApplicationIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void signUpsArePushedRunByTheHandlerBeanAndTheApplicationStopsCleanly(TestRedis redis) throws Exception {
        ConfigurableApplicationContext app = SpringApplication.run(MailApplication.class,
                "--server.port=0", "--server.address=127.0.0.1",
                "--jobrunner.redis.uri=" + redis.uri(), "--jobrunner.redis.prefix=" + redis.prefix());
        try {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> response = send(HttpRequest.newBuilder(uri(port, "/signups?email=user" + i + "@example.org"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            }
            Outbox outbox = app.getBean(Outbox.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.sent().size() == 12);
            assertThat(outbox.sent()).doesNotHaveDuplicates().contains("welcome user0@example.org", "welcome user11@example.org");

            JsonNode health = json.readTree(send(HttpRequest.newBuilder(uri(port, "/actuator/health"))).body());
            assertThat(health.at("/components/jobRunner/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/jobRunner/details/redis").asText()).isEqualTo("reachable");
            assertThat(health.at("/components/jobRunner/details/runner/state").asText()).isEqualTo("RUNNING");

            JsonNode succeeded = json.readTree(send(HttpRequest.newBuilder(uri(port, "/actuator/metrics/jobrunner.jobs.succeeded?tag=type:sendMail"))).body());
            assertThat(succeeded.at("/measurements/0/value").asDouble()).isEqualTo(12.0);
        } finally {
            JobRunnerLifecycle lifecycle = app.getBean(JobRunnerLifecycle.class);
            var runner = lifecycle.runner();
            app.close();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(runner.status().state()).isEqualTo("STOPPED");
        }
        assertThat(redis.client().inspector().counts(new QueueName("default", "sendMail")).total()).as("every job acked").isZero();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
