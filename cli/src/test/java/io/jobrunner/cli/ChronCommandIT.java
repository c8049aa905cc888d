package io.jobrunner.cli;

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
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(RedisExtension.class)
class ChronCommandIT {

    @TempDir
    Path dir;

    @Test
    void promotesDelayedJobsUntilStoppedThenReleasesTheLease(TestRedis redis) throws Exception {
        Path config = dir.resolve("chron.conf");
        Files.writeString(config, "jobrunner.chron { interval = 100ms, http.port = 0, lease-ttl = 2s }");
        JobRunnerClient client = redis.client();
        QueueName queue = new QueueName("default", "later");

        Cli.Running chron = Cli.on(redis).start("chron", "--config", config.toString());
        client.producer().push(Job.of("later").releaseAt(Instant.now().plusMillis(300)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.inspector().counts(queue).ready()).isEqualTo(1));
        Cli.Result stopped = chron.stop();
        assertThat(stopped.err()).as(stopped.toString()).contains("chron running on " + redis.uri()).contains("/status");
        assertThat(stopped.code()).as(stopped.toString()).isZero();
        assertThat(client.redis().exists(client.keys().chronLease())).as("lease released on a graceful stop").isZero();
    }

    @Test
    void aBadChronSettingIsAConfigError(TestRedis redis) throws Exception {
        Path config = dir.resolve("bad.conf");
        Files.writeString(config, "jobrunner.chron.lease-ttl = 10ms");
        Cli.Result r = Cli.on(redis).run("chron", "--config", config.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.chron.lease-ttl").contains("at least 300ms");
    }
}
