package io.jobrunner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands through {@code bin/jobrunner} as a real process, on the jar the build just packaged
 * ({@code JOBRUNNER_SKIP_BUILD=1}: a test never starts a nested Maven build).
 */
@ExtendWith(RedisExtension.class)
class LauncherIT {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run launch(Map<String, String> env, Path stdout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ReadmeTest.ROOT.resolve("bin/jobrunner").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stdout.resolveSibling(stdout.getFileName() + ".err").toFile());
        pb.environment().put("JOBRUNNER_SKIP_BUILD", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bin/jobrunner finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stdout.resolveSibling(stdout.getFileName() + ".err"), StandardCharsets.UTF_8));
    }

    @Test
    void pushesAndShowsStatsThroughTheLauncher(TestRedis redis) throws Exception {
        Map<String, String> env = Map.of("JOBRUNNER_REDIS_PREFIX", redis.prefix(), "JOBRUNNER_REDIS_URI", redis.uri());
        Path jobs = dir.resolve("jobs.ndjson");
        Files.write(jobs, List.of("{\"type\":\"viaLauncher\",\"domain\":\"w1\"}", "{\"type\":\"viaLauncher\",\"domain\":\"w2\"}", "oops"));

        Run push = launch(env, dir.resolve("push.out"), "push", "--ndjson", jobs.toString());
        assertThat(push.code()).as(push.toString()).isEqualTo(1);
        assertThat(push.out()).contains("3 lines: 2 pushed, 0 duplicates, 1 rejected").contains("line 3: not valid JSON");

        Run stats = launch(env, dir.resolve("stats.out"), "stats", "--json", "--redis", redis.uri());
        assertThat(stats.code()).as(stats.toString()).isZero();
        JsonNode json = InspectIT.readJson(stats.out());
        assertThat(json.get("total").get("ready").asLong()).isEqualTo(2);
        assertThat(redis.client().inspector().counts(new QueueName("w1", "viaLauncher")).ready()).isEqualTo(1);
    }

    @Test
    void theQuickstartRunsThroughTheLauncherAndLeavesNoRedisBehind() throws Exception {
        Run run = launch(Map.of(), dir.resolve("quickstart.out"), "quickstart", "--jobs", "30");
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("done: every demo job ran in");
        QuickstartIT.assertGone(QuickstartIT.startedRedis(run.out()));
    }

    @Test
    void exitCodesReachTheShell(TestRedis redis) throws Exception {
        Run usage = launch(Map.of(), dir.resolve("usage.out"), "list");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter");

        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "jobrunner.redis.prefix = \"no spaces allowed\"");
        Run config = launch(Map.of(), dir.resolve("config.out"), "check-config", "--config", bad.toString());
        assertThat(config.code()).isEqualTo(2);
        assertThat(config.err()).contains("jobrunner.redis.prefix");

        Run version = launch(Map.of(), dir.resolve("version.out"), "--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("jobrunner ");
    }
}
