package io.jobrunner.cli;

import io.jobrunner.client.Job;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code dashboard} and {@code chron} with {@code with-chron}: serve the pages on loopback, print the address, stop on request. */
@ExtendWith(RedisExtension.class)
class DashboardCommandIT {

    @TempDir
    Path dir;

    private static String address(Cli.Running running) {
        await().atMost(Duration.ofSeconds(30)).until(() -> running.output().contains("dashboard at http://"));
        Matcher m = Pattern.compile("dashboard at (http://\\S+/)").matcher(running.output());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void servesTheDashboardOnLoopbackUntilStopped(TestRedis redis) throws Exception {
        redis.client().producer().push(Job.of("sendMail").inDomain("wiki1"));
        Cli.Running running = Cli.on(redis).start("dashboard", "--port", "0");
        String url = address(running);
        assertThat(url).startsWith("http://127.0.0.1:");
        assertThat(running.output()).contains("read-only");
        assertThat(get(url)).contains("wiki1/sendMail");
        assertThat(running.stop().code()).isZero();
    }

    @Test
    void theChronServesItTooWhenAsked(TestRedis redis) throws Exception {
        Path config = dir.resolve("chron.conf");
        Files.writeString(config, "jobrunner.chron.http.port = 0\njobrunner.dashboard { with-chron = true, port = 0, auth.token = \"a-long-enough-token\" }");
        Cli.Running chron = Cli.on(redis).start("chron", "--config", config.toString());
        String url = address(chron);
        assertThat(get(url + "runners")).contains("Chrons");
        assertThat(chron.output()).doesNotContain("a-long-enough-token");
        assertThat(chron.stop().code()).isZero();
    }

    @Test
    void aBadDashboardSettingIsAConfigError(TestRedis redis) throws Exception {
        Path config = dir.resolve("bad.conf");
        Files.writeString(config, "jobrunner.dashboard.auth.token = short");
        Cli.Result r = Cli.on(redis).run("dashboard", "--config", config.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("jobrunner.dashboard.auth.token");
    }
}
