package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueKeys;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Jobs that cannot run here are abandoned at once with a reason, and the runner goes on. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class BadInputIT {

    @Test
    void aMalformedJobIsAbandonedWithItsReason(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor executor = RecordingExecutor.succeeding();
        QueueName queue = new QueueName("wiki1", "parse");
        try (Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner.groups.all { slots = 1, types = [\"*\"] }"),
                client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)))) {
            runner.start();
            QueueKeys keys = client.keys().queue(queue);
            client.redis().hset(keys.data(), "garbage-1", "{not json at all");
            client.redis().lpush(keys.ready(), "garbage-1");
            client.registry().markReady(queue).join();
            Job good = Job.of("parse").inDomain("wiki1");
            client.producer().push(good);

            await().atMost(Duration.ofSeconds(10)).until(() -> executor.runsById.containsKey(good.id())
                    && client.inspector().counts(queue).abandoned() == 1 && client.inspector().counts(queue).claimed() == 0);

            JobInfo abandoned = client.inspector().list(queue, JobState.ABANDONED, 1).get(0);
            assertThat(abandoned.id()).isEqualTo("garbage-1");
            assertThat(abandoned.lastError()).startsWith("malformed job: ").contains("JSON");
            assertThat(executor.runsById).doesNotContainKey("garbage-1");
        }
    }

    @Test
    void aJobTypeWithoutExecutorIsAbandonedWithAReason(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor known = RecordingExecutor.succeeding();
        QueueName orphans = new QueueName("default", "orphan");
        try (Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner.groups.all { slots = 1, types = [\"*\"] }"),
                client, new MetricRegistry(), ExecutorLookup.of(Map.of("known", known)))) {
            runner.start();
            client.producer().push(List.of(Job.of("orphan"), Job.of("known"), Job.of("orphan")));

            await().atMost(Duration.ofSeconds(10)).until(() -> known.count() == 1 && client.inspector().counts(orphans).abandoned() == 2);

            assertThat(client.inspector().list(orphans, JobState.ABANDONED, 5)).allSatisfy(j -> {
                assertThat(j.attempts()).isEqualTo(1);
                assertThat(j.lastError()).isEqualTo("no executor for job type 'orphan': configure jobrunner.executors.orphan or jobrunner.executors.\"*\"");
            });
        }
    }
}
