package io.jobrunner.runner;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.ChildJvm;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runner daemon as a separate JVM ({@link RunnerMain}) with a command executor, stopped with signals. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class RunnerProcessIT {

    @TempDir
    Path dir;

    private ChildJvm child;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void sigtermGivesTheRunningJobBackAndExitsZero(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        QueueName queue = new QueueName("default", "sleepy");
        Job job = Job.of("sleepy");
        client.producer().push(job);
        child = startRunner(redis, "500ms");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.inspector().counts(queue).claimed() == 1 || !child.isAlive());
        assertThat(child.isAlive()).as(child.output()).isTrue();

        child.process().destroy(); // SIGTERM
        assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as(child.output()).isTrue();

        assertThat(child.process().exitValue()).as(child.output()).isZero();
        assertThat(child.output()).contains("stopping").contains("stopped");
        var counts = client.inspector().counts(queue);
        assertThat(counts.claimed()).isZero();
        assertThat(counts.ready()).isEqualTo(1);
        JobInfo back = client.inspector().list(queue, JobState.READY, 1).get(0);
        assertThat(back.id()).isEqualTo(job.id());
        assertThat(back.attempts()).isZero();
    }

    @Test
    void aSecondSignalExitsAtOnceLeavingTheClaimToTheChron(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        QueueName queue = new QueueName("default", "sleepy");
        client.producer().push(Job.of("sleepy"));
        child = startRunner(redis, "60s");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.inspector().counts(queue).claimed() == 1 || !child.isAlive());
        assertThat(child.isAlive()).as(child.output()).isTrue();

        child.process().destroy();
        await().atMost(Duration.ofSeconds(10)).until(() -> child.output().contains("stopping"));
        child.process().destroy();
        assertThat(child.process().waitFor(15, TimeUnit.SECONDS)).as(child.output()).isTrue();

        assertThat(child.process().exitValue()).as(child.output()).isEqualTo(130);
        assertThat(client.inspector().counts(queue).claimed()).isEqualTo(1); // the chron recycles it after the claim TTL
    }

    private ChildJvm startRunner(TestRedis redis, String grace) throws IOException {
        Path conf = dir.resolve("runner.conf");
        Files.writeString(conf, String.join("\n",
                "jobrunner.redis { uri = \"" + redis.uri() + "\", prefix = \"" + redis.prefix() + "\" }",
                "jobrunner.runner { shutdown-grace = " + grace + ", http.port = 0, jmx.enabled = false, groups.all { slots = 2, types = [\"*\"] } }",
                "jobrunner.executors { \"*\" { kind = command, argv = [\"sleep\", \"60\"], stop-grace = 1s } }", ""));
        return ChildJvm.start(dir, "runner", RunnerMain.class, "--config", conf.toString());
    }

}
