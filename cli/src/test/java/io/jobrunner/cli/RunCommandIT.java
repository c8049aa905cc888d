package io.jobrunner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisExtension.class)
class RunCommandIT {

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path config = dir.resolve("run.conf");
        Files.writeString(config, """
                jobrunner {
                  limits.attempts { "*" = 3, fails = 1 }
                  executors {
                    "*" { kind = java, class = "io.jobrunner.cli.demo.ThumbnailHandler" }
                    fails { kind = java, class = "io.jobrunner.cli.demo.FlakyHandler" }
                  }
                }
                """);
        return config;
    }

    private static void push(JobRunnerClient client, String type, int n) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(Job.of(type, JsonNodeFactory.instance.objectNode().put("ms", 1)));
        }
        client.producer().push(jobs);
    }

    @Test
    void maxjobsRunsExactlyThatMany(TestRedis redis) throws IOException {
        JobRunnerClient client = redis.client();
        push(client, "work", 10);

        Cli.Result r = Cli.on(redis).run("run", "--config", config().toString(), "--maxjobs", "4", "--slots", "3", "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode json = InspectIT.readJson(r.out());
        assertThat(json.get("reached").asText()).isEqualTo("job-limit");
        assertThat(json.get("jobs").get("started").asLong()).isEqualTo(4);
        assertThat(json.get("jobs").get("succeeded").asLong()).isEqualTo(4);
        assertThat(json.get("types").get("work").get("succeeded").asLong()).isEqualTo(4);
        assertThat(client.inspector().counts(new QueueName("default", "work")).ready()).isEqualTo(6);
    }

    @Test
    void runsUntilTheQueuesAreEmptyAndPrintsASummary(TestRedis redis) throws IOException {
        JobRunnerClient client = redis.client();
        push(client, "work", 5);
        push(client, "other", 3);

        Cli.Result r = Cli.on(redis).run("run", "--config", config().toString(), "--type", "work");

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ran 5 jobs").contains("5 succeeded").contains("stopped: no ready jobs left")
                .containsPattern("work\\s+5 succeeded");
        assertThat(client.inspector().counts(new QueueName("default", "work")).total()).isZero();
        assertThat(client.inspector().counts(new QueueName("default", "other")).ready()).as("not served").isEqualTo(3);
    }

    @Test
    void anAbandonedJobMakesTheExitCode1(TestRedis redis) throws IOException {
        JobRunnerClient client = redis.client();
        push(client, "fails", 1);

        Cli.Result r = Cli.on(redis).run("run", "--config", config().toString(), "--json");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        JsonNode json = InspectIT.readJson(r.out());
        assertThat(json.get("jobs").get("abandoned").asLong()).isEqualTo(1);
        assertThat(client.inspector().counts(new QueueName("default", "fails")).abandoned()).isEqualTo(1);
    }

    @Test
    void waitKeepsRunningUntilTheTimeLimit(TestRedis redis) throws IOException {
        Cli.Result r = Cli.on(redis).run("run", "--config", config().toString(), "--wait", "--maxtime", "300ms", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode json = InspectIT.readJson(r.out());
        assertThat(json.get("reached").asText()).isEqualTo("time-limit");
        assertThat(json.get("jobs").get("started").asLong()).isZero();
    }

    @Test
    void waitWithoutLimitsRunsUntilStopped(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        Cli.Running run = Cli.on(redis).start("run", "--config", config().toString(), "--wait");
        push(client, "work", 3);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(client.inspector().counts(new QueueName("default", "work")).total()).isZero());
        Cli.Result r = run.stop();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ran 3 jobs").contains("stopped: stop requested");
    }

    @Test
    void badBoundsAreUsageErrors(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("run", "--slots", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--slots must be 1 to 1024");
        assertThat(Cli.on(redis).run("run", "--maxtime", "soon").err()).contains("'soon' is not a duration");
    }
}
