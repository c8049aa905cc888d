package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.ProcessRecord;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.ThroughputHistory;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A runner honours operators: pause and resume, cancel a running job; it shows in the registry of live runners. */
@Timeout(60)
@ExtendWith(RedisExtension.class)
class OperatorControlsIT {

    private static final String CONFIG = "jobrunner.runner.groups.basic { slots = 2, types = [\"*\"] }";

    @Test
    void aPausedQueueIsNotClaimedFromUntilResumedAndLosesNothing(TestRedis redis) throws InterruptedException {
        JobRunnerClient client = redis.client();
        Set<String> ran = ConcurrentHashMap.newKeySet();
        JobExecutor recording = ctx -> {
            ran.add(ctx.job().id());
            return ExecutionResult.success();
        };
        QueueName paused = TestJobs.queue("pausedType");
        QueueName other = TestJobs.queue("otherType");
        QueueName pausedLater = TestJobs.queue("pausedLater");
        client.operations().pause(paused.toString()); // read at the runner's start
        Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", recording)));
        runner.start();
        try {
            assertThat(runner.isPaused(paused)).isTrue();
            client.operations().pause("*/" + pausedLater.type()); // heard by message
            await().atMost(Duration.ofSeconds(5)).until(() -> runner.isPaused(pausedLater));
            client.producer().push(TestJobs.job(pausedLater).build());
            List<Job> held = TestJobs.jobs(paused, 5);
            client.producer().push(held);
            Job free = TestJobs.job(other).build();
            client.producer().push(free);

            await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(free.id()));
            Thread.sleep(1000); // five refresh intervals: long enough for a claim the pause failed to stop
            assertThat(ran).containsExactly(free.id());
            assertThat(client.inspector().counts(paused).ready()).isEqualTo(5);
            assertThat(client.inspector().counts(pausedLater).ready()).isEqualTo(1);

            client.operations().resume(paused.toString());
            client.operations().resume("*/" + pausedLater.type());
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 7);
        } finally {
            runner.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aCancelledRunIsStoppedAndItsJobAbandonedAsCancelledByOperator(TestRedis redis) {
        JobRunnerClient client = redis.client();
        CountDownLatch started = new CountDownLatch(1);
        JobExecutor blocking = ctx -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return ExecutionResult.success();
            } catch (InterruptedException e) {
                return ExecutionResult.retry("interrupted");
            }
        };
        Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", blocking)));
        runner.start();
        try {
            Job job = TestJobs.job(TestJobs.queue("longType")).build();
            client.producer().push(job);
            await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);

            await().atMost(Duration.ofSeconds(10)).until(() -> !client.presence().runners().isEmpty()
                    && !client.presence().runners().get(0).current().isEmpty());
            ProcessRecord shown = client.presence().runners().get(0);
            assertThat(shown.id()).isEqualTo(runner.id());
            assertThat(shown.current()).extracting(ProcessRecord.Running::id).containsExactly(job.id());
            assertThat(shown.slots()).isEqualTo(2);
            assertThat(shown.busy()).isEqualTo(1);

            assertThat(client.operations().cancel(job.queue(), job.id())).isTrue();

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    client.operations().find(job.queue(), job.id()).map(JobInfo::state).orElse(null) == JobState.ABANDONED);
            JobInfo info = client.operations().find(job.queue(), job.id()).orElseThrow();
            assertThat(info.lastError()).isEqualTo("cancelled by operator");
            await().atMost(Duration.ofSeconds(10)).until(() -> client.redis().hlen(client.keys().cancels()) == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                ThroughputHistory.Series s = client.history().read(List.of(job.type()), 3);
                return s.totalProcessed() == 1 && s.totalFailed() == 1;
            });
        } finally {
            runner.stop(Duration.ofSeconds(5));
        }
        assertThat(client.presence().runners()).as("a stopped runner removes its record").isEmpty();
    }

    @Test
    void aCancelRequestMadeWhileTheRunnerMissedTheMessageIsFoundAtItsHeartbeat(TestRedis redis) {
        JobRunnerClient client = redis.client();
        CountDownLatch started = new CountDownLatch(1);
        JobExecutor blocking = ctx -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return ExecutionResult.success();
            } catch (InterruptedException e) {
                return ExecutionResult.retry("interrupted");
            }
        };
        Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", blocking)));
        runner.start();
        try {
            Job job = TestJobs.job(TestJobs.queue("missedType")).build();
            client.producer().push(job);
            await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);
            client.redis().hset(client.keys().cancels(), job.queue() + " " + job.id(), "0"); // no message published

            await().atMost(Duration.ofSeconds(15)).until(() ->
                    client.operations().find(job.queue(), job.id()).map(JobInfo::lastError).orElse("").equals("cancelled by operator"));
        } finally {
            runner.stop(Duration.ofSeconds(5));
        }
    }
}
