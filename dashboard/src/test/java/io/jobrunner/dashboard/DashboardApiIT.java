package io.jobrunner.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.RedisOutage;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The JSON API and the pages over HTTP (no browser): reads, actions, and who may act. */
@ExtendWith(RedisExtension.class)
class DashboardApiIT {

    private static final String TOKEN = "test-token-0123456789";
    private static final QueueName Q = new QueueName("wiki1", "sendMail");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private Dashboard dashboard;

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private Dashboard start(JobRunnerClient client, String token, String user, String password) {
        dashboard = Dashboard.start(new DashboardSettings("127.0.0.1", 0, Duration.ofSeconds(2), false, token, user, password), client);
        return dashboard;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1))).POST(HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readsJobsQueuesAndRunnersAsJson(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        Job job = Job.of(Q.type()).inDomain(Q.domain()).withParams(JobCodec.mapper().createObjectNode().put("to", "a@b"));
        client.producer().push(job);
        start(client, "", "", "");

        JsonNode overview = JobCodec.mapper().readTree(get("/api/overview").body());
        assertThat(overview.get("queues").get(0).get("ready").asLong()).isEqualTo(1);
        assertThat(overview.get("queues").get(0).get("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
        JsonNode found = JobCodec.mapper().readTree(get("/api/jobs/" + job.id()).body());
        assertThat(found.get("queue").asText()).isEqualTo(Q.toString());
        assertThat(found.get("job").get("params").get("to").asText()).isEqualTo("a@b");
        JsonNode page = JobCodec.mapper().readTree(get("/api/queues/wiki1/sendMail/jobs?state=ready&limit=5").body());
        assertThat(page.get("total").asLong()).isEqualTo(1);
        assertThat(get("/api/jobs/nope").statusCode()).isEqualTo(404);
        assertThat(get("/api/queues/wiki1/sendMail/jobs?state=bogus").statusCode()).isEqualTo(400);
        assertThat(get("/api/history?minutes=5").body()).contains("\"processed\"");
        assertThat(get("/api/runners").body()).contains("\"runners\":[]");
        HttpResponse<String> home = get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        assertThat(home.body()).contains("wiki1/sendMail").contains("read-only").contains("No runner is alive");
        assertThat(get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutConfiguredCredentialsNothingCanAct(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        client.producer().push(Job.of(Q.type()).inDomain(Q.domain()));
        start(client, "", "", "");
        HttpResponse<String> r = post("/api/queues/wiki1/sendMail/pause", "Authorization", "Bearer anything-at-all-here");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("read-only");
        assertThat(client.operations().paused()).isEmpty();
    }

    @Test
    void actionsNeedTheTokenOrTheUserAndRefuseOtherOrigins(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        client.producer().push(Job.of(Q.type()).inDomain(Q.domain()));
        start(client, TOKEN, "admin", "s3cret-pass");

        assertThat(post("/api/queues/wiki1/sendMail/pause").statusCode()).isEqualTo(403);
        assertThat(post("/api/queues/wiki1/sendMail/pause", "Authorization", "Bearer wrong-token-000000").statusCode()).isEqualTo(403);
        assertThat(post("/api/queues/wiki1/sendMail/pause", "Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example")
                .statusCode()).isEqualTo(403);
        assertThat(client.operations().paused()).isEmpty();

        HttpResponse<String> ok = post("/api/queues/wiki1/sendMail/pause", "Authorization", "Bearer " + TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"ok\":true");
        assertThat(client.operations().paused()).containsKey(Q.toString());
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret-pass".getBytes(StandardCharsets.UTF_8));
        assertThat(post("/api/types/sendMail/pause", "Authorization", basic).statusCode()).isEqualTo(200);
        assertThat(client.operations().paused()).containsKey("*/sendMail");
    }

    @Test
    void aLoggedInSessionNeedsItsCsrfToken(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        client.producer().push(Job.of(Q.type()).inDomain(Q.domain()));
        ClaimedJob claimed = client.consumer().claim(Q, 1, Duration.ofMinutes(1)).join().jobs().get(0);
        client.consumer().abandon(Q, claimed.ref(), "broken").join();
        start(client, TOKEN, "", "");

        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard.url() + "login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));
        String page = http.send(HttpRequest.newBuilder(URI.create(dashboard.url())).header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String csrf = page.replaceAll("(?s).*\"X-CSRF-Token\": \"([^\"]+)\".*", "$1");
        assertThat(page).doesNotContain(TOKEN);

        String retry = "/api/jobs/wiki1/sendMail/" + claimed.id() + "/retry";
        assertThat(post(retry, "Cookie", session).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(post(retry, "Cookie", session, "X-CSRF-Token", "forged").statusCode()).isEqualTo(403);
        assertThat(client.operations().find(Q, claimed.id()).orElseThrow().state()).isEqualTo(JobState.ABANDONED);

        HttpResponse<String> ok = post(retry, "Cookie", session, "X-CSRF-Token", csrf, "HX-Request", "true");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("HX-Trigger")).hasValue("jr-refresh");
        assertThat(ok.body()).contains("is ready again");
        assertThat(client.operations().find(Q, claimed.id()).orElseThrow().state()).isEqualTo(JobState.READY);
    }

    @Test
    void everyPageRendersAndEscapesJobFields(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        String payload = "<script>alert('x')</script>";
        Job job = TestJobs.job(Q).param("title", payload).build();
        client.producer().push(job);
        ClaimedJob claimed = client.consumer().claim(Q, 1, Duration.ofMinutes(1)).join().jobs().get(0);
        client.consumer().abandon(Q, claimed.ref(), "failed: " + payload).join();
        start(client, "", "", "");

        for (String path : new String[]{"/", "/queues/wiki1/sendMail?state=abandoned", "/jobs/wiki1/sendMail/" + job.id(),
                "/abandoned?error=failed", "/runners", "/login", "/?live=1"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain(payload);
        }
        assertThat(get("/jobs/wiki1/sendMail/" + job.id()).body()).contains("&lt;script&gt;alert(");
        HttpResponse<String> found = get("/find?id=" + job.id());
        assertThat(found.statusCode()).as("followed the redirect to the job's page").isEqualTo(200);
        assertThat(found.body()).contains("queue wiki1/sendMail");
        HttpResponse<String> missing = get("/find?id=" + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).doesNotContain(payload).contains("No queue holds a job &lt;script&gt;");
        assertThat(get("/abandoned?error=failed").body()).contains("failed: &lt;script&gt;");
    }

    @Test
    void livezStaysUpThroughARedisOutageWhileReadyzSaysWhyItFails() throws Exception {
        try (RedisOutage outage = RedisOutage.start(Dashboard.class);
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(outage.uri()))) {
            start(client, "", "", "");
            assertThat(get("/livez").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(JobCodec.mapper().readTree(ready.body()).get("checks").get("redis").asText()).startsWith("PONG in ");

            outage.begin();
            HttpResponse<String> live = get("/livez");
            assertThat(live.statusCode()).as("a Redis outage must not get the dashboard restarted").isEqualTo(200);
            assertThat(JobCodec.mapper().readTree(live.body()).get("status").asText()).isEqualTo("ok");
            HttpResponse<String> notReady = get("/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            JsonNode body = JobCodec.mapper().readTree(notReady.body());
            assertThat(body.get("status").asText()).isEqualTo("failing");
            assertThat(body.get("reason").asText()).startsWith("redis: ");

            outage.end();
            // ready again once Redis is back: the client reconnects by itself
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get("/readyz").statusCode() == 200);
        }
    }
}
