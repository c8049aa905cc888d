package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is checked once Redis is reachable: the executors (they need the client), and the sample config as a whole.
 * Here, beside the git kinds, because the sample config and the list of known kinds include them.
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class RunnerMainIT {

    @Test
    void anUnknownExecutorKindExitsWithTwoAndNamesThePath(TestRedis redis, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("runner.conf");
        Files.writeString(file, String.join("\n",
                "jobrunner.redis { uri = \"" + redis.uri() + "\", prefix = \"" + redis.prefix() + "\" }",
                "jobrunner.runner.groups.basic { types = [\"*\"] }",
                "jobrunner.executors { sendMail { kind = teleport } }", ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = RunnerMain.run(new String[]{"--config", file.toString()}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("jobrunner.executors.sendMail.kind").contains("teleport")
                .contains("command").contains("git-sync");
    }

    @Test
    void theSampleConfigBuildsARunnerWithAllItsExecutors(TestRedis redis, @TempDir Path dir) {
        Config config = ConfigLoader.load(Path.of("..", "jobrunner.sample.conf"), Map.of(
                        "JOBRUNNER_REDIS_URI", redis.uri(), "JOBRUNNER_REDIS_PREFIX", redis.prefix()))
                .withValue("jobrunner.runner.http.port", ConfigValueFactory.fromAnyRef(0))
                .withValue("jobrunner.runner.jmx.enabled", ConfigValueFactory.fromAnyRef(false));
        for (String kind : new String[]{"\"git-clone\"", "\"git-sync\"", "\"git-remove\""}) {
            config = config.withValue("jobrunner.executors." + kind + ".root", ConfigValueFactory.fromAnyRef(dir.toString()));
        }
        JobRunnerClient client = redis.client();

        Runner runner = Runner.create(config, client, new MetricRegistry());
        runner.start();
        try {
            assertThat(runner.status().groups()).extracting(RunnerStatus.GroupStatus::name).containsExactly("basic", "git", "transcode");
        } finally {
            assertThat(runner.stop()).isTrue();
        }
    }
}
