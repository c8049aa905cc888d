package io.jobrunner.runner;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The plain-Java runner against a real Redis: handlers run pushed jobs, a stop is graceful, and it frees what it owns. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class JobRunnerIT {

    @Test
    void handlersRunPushedJobsAndAStopWaitsForRunningOnes(TestRedis redis) throws Exception {
        Set<String> mailed = ConcurrentHashMap.newKeySet();
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowMayEnd = new CountDownLatch(1);
        JobRunner workers = JobRunner.builder()
                .redis(redis.uri()).prefix(redis.prefix())
                .handler("sendMail", job -> mailed.add(job.params().get("to").asText()))
                .handler("report", (job, context) -> {
                    slowStarted.countDown();
                    slowMayEnd.await();
                    assertThat(context.attempt()).isEqualTo(1);
                })
                .shutdownGrace(Duration.ofSeconds(30))
                .start();
        JobRunnerClient client = workers.client();
        for (int i = 0; i < 20; i++) {
            client.producer().push(Job.of("sendMail", Map.of("to", "user" + i + "@example.org")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> mailed.size() == 20);
        assertThat(workers.isHealthy()).isTrue();
        assertThat(workers.status().groups()).extracting(RunnerStatus.GroupStatus::name).containsExactly("default");
        assertThat(workers.status().totals().succeeded()).isEqualTo(20);
        assertThat(workers.metrics().getMetrics()).as("the runner's metrics, in the registry it owns").isNotEmpty();

        client.producer().push(Job.of("report"));
        assertThat(slowStarted.await(20, TimeUnit.SECONDS)).isTrue();
        Thread releaser = new Thread(() -> {
            await().atMost(Duration.ofSeconds(20)).until(() -> workers.status().state().equals("STOPPING"));
            slowMayEnd.countDown();
        });
        releaser.start();
        assertThat(workers.stop()).as("the running job finished within the grace").isTrue();
        releaser.join();
        assertThatThrownBy(() -> client.redis().ping()).as("the runner's own client is closed").isInstanceOf(RuntimeException.class);
        assertThat(redis.client().inspector().counts(new QueueName("default", "report")).total()).as("acked").isZero();
    }

    @Test
    void theDefaultGroupServesOnlyTypesWithAHandlerAndASharedClientStaysOpen(TestRedis redis) {
        JobRunnerClient shared = redis.client();
        shared.producer().push(Job.of("otherTeamsJob"));
        CountDownLatch ran = new CountDownLatch(1);
        try (JobRunner workers = JobRunner.builder().client(shared).handler("mine", job -> ran.countDown()).start()) {
            shared.producer().push(Job.of("mine"));
            await().atMost(Duration.ofSeconds(20)).until(() -> ran.getCount() == 0);
            assertThat(workers.status().totals().started()).as("the other team's job was not claimed").isEqualTo(1);
        }
        assertThat(shared.redis().ping()).isEqualTo("PONG");
        assertThat(shared.redis().llen(shared.keys().queue(new QueueName("default", "otherTeamsJob")).ready())).isEqualTo(1);
    }
}
