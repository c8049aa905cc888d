package io.jobrunner.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisExtension.class)
class RunnerCommandIT {

    @TempDir
    Path dir;

    static final String CONFIG = """
            jobrunner {
              runner { groups.all { slots = 2, types = ["*"] }, http.port = 0, jmx.enabled = false, shutdown-grace = 5s }
              executors { "*" { kind = java, class = "io.jobrunner.cli.demo.ThumbnailHandler" } }
            }
            """;

    @Test
    void runsJobsUntilStopped(TestRedis redis) throws Exception {
        Path config = dir.resolve("runner.conf");
        Files.writeString(config, CONFIG);
        JobRunnerClient client = redis.client();
        QueueName queue = new QueueName("default", "work");

        Cli.Running runner = Cli.on(redis).start("runner", "--config", config.toString());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(Job.of("work", JsonNodeFactory.instance.objectNode().put("ms", 1)));
        }
        client.producer().push(jobs);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(client.inspector().counts(queue).total()).isZero());

        Cli.Result stopped = runner.stop();
        assertThat(stopped.code()).as(stopped.toString()).isZero();
        assertThat(stopped.err()).contains("runner ").contains(" running on " + redis.uri()).contains("/status");
    }

    @Test
    void aConfigWithoutGroupsIsAConfigError(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("runner");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("config error").contains("jobrunner.runner.groups");
    }

    @Test
    void anUnknownExecutorKindIsAConfigError(TestRedis redis) throws Exception {
        Path config = dir.resolve("bad.conf");
        Files.writeString(config, "jobrunner.runner.groups.all { slots = 1, types = [\"*\"] }\n"
                + "jobrunner.executors.work { kind = telepathy }");
        Cli.Result r = Cli.on(redis).run("runner", "--config", config.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.executors.work.kind").contains("telepathy").contains("known kinds: command, git-clone");
    }
}
