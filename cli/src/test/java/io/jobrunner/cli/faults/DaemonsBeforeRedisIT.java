package io.jobrunner.cli.faults;

import io.jobrunner.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runner and chron started before Redis (a compose or Kubernetes start order): they wait, say so in the log (one
 * line per interval, not per attempt) and on /status and /health, and start working when Redis comes.
 */
@Timeout(90)
class DaemonsBeforeRedisIT {

    private static final Pattern ENDPOINT = Pattern.compile("HTTP endpoint on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void daemonsWaitForRedisThenWork() throws Exception {
        try (FaultRig rig = new FaultRig(dir)) {
            ChildJvm runner = rig.startRunner("runner", 4);
            ChildJvm chron = rig.startChron("chron");
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.output().contains("waiting for Redis")
                    && chron.output().contains("waiting for Redis") && ENDPOINT.matcher(runner.output()).find() || !runner.isAlive());
            assertThat(runner.isAlive()).as(rig.outputs()).isTrue();

            String status = get(port(runner), "/status");
            assertThat(status).contains("waiting-for-redis").contains(rig.redis().uri()).contains("Connection refused");
            assertThat(get(port(runner), "/readyz")).contains("\"status\" : \"failing\"").contains("waiting for Redis");
            assertThat(get(port(runner), "/livez")).as("waiting is what it should do: live").contains("\"status\" : \"ok\"");
            Thread.sleep(2_000); // many attempts (every 500 ms at most) ...
            assertThat(count(runner.output(), "waiting for Redis")).as("one log line per 5 s interval, not per attempt").isLessThanOrEqualTo(2);

            long redisAt = System.nanoTime();
            rig.redis().start();
            rig.push(200, 0);
            await().atMost(Duration.ofSeconds(30)).until(rig::drained);
            long ms = (System.nanoTime() - redisAt) / 1_000_000;
            assertThat(rig.neverRan()).isEmpty();
            assertThat(runner.isAlive()).isTrue();
            assertThat(chron.isAlive()).isTrue();
            assertThat(rig.duplicates()).as(rig.outputs()).isZero();
            System.out.printf("FAULT daemons-before-redis: jobs=200 lost=0 duplicates=0 drained %d ms after Redis started%n", ms);
        }
    }

    private static int port(ChildJvm child) {
        Matcher m = ENDPOINT.matcher(child.output());
        assertThat(m.find()).as(child.output()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String get(int port, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
