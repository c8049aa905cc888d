package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retries with backoff, abandonment after the configured attempts with the last error kept, timeouts, dead slots. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class OutcomesIT {

    private static final String CONFIG = """
            jobrunner.runner.groups.all { slots = 2, types = ["*"] }
            jobrunner.limits {
              attempts { flaky = 3, slow = 2 }
              backoff { flaky { initial = 100ms, max = 1s }, "*" { initial = 10ms, max = 20ms } }
              timeout { slow = 200ms }
            }
            """;

    @Test
    void retriesFollowTheBackoffAndEndAbandonedWithTheLastError(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor flaky = new RecordingExecutor(ctx -> ExecutionResult.retry("boom on attempt " + ctx.attempt()));
        MetricRegistry metrics = new MetricRegistry();
        QueueName queue = new QueueName("default", "flaky");
        try (Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, metrics, ExecutorLookup.of(Map.of("flaky", flaky)));
             TestPromoter promoter = new TestPromoter(client, List.of(queue), 5)) {
            runner.start();
            Job job = Job.of("flaky");
            client.producer().push(job);

            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(queue).abandoned() == 1);

            List<RecordingExecutor.Run> runs = flaky.runsOf(job.id());
            assertThat(runs).extracting(RecordingExecutor.Run::attempt).containsExactly(1, 2, 3);
            // backoff 100 ms doubling, equal jitter: at least 50 ms after attempt 1, at least 100 ms after attempt 2
            assertThat(gapMillis(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(50);
            assertThat(gapMillis(runs.get(1), runs.get(2))).isGreaterThanOrEqualTo(100);
            JobInfo abandoned = client.inspector().list(queue, JobState.ABANDONED, 10).get(0);
            assertThat(abandoned.id()).isEqualTo(job.id());
            assertThat(abandoned.attempts()).isEqualTo(3);
            assertThat(abandoned.lastError()).isEqualTo("out of attempts (3/3): boom on attempt 3");
            assertThat(metrics.meter(MetricName.of("jobrunner_jobs_retried", "type", "flaky")).getCount()).isEqualTo(2);
            assertThat(metrics.meter(MetricName.of("jobrunner_jobs_failed", "type", "flaky")).getCount()).isEqualTo(3);
            assertThat(metrics.meter(MetricName.of("jobrunner_jobs_abandoned", "type", "flaky")).getCount()).isEqualTo(1);
        }
    }

    @Test
    void retryAfterIsHonouredAndPermanentFailuresAreAbandonedAtOnce(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor later = new RecordingExecutor(ctx -> ctx.attempt() == 1
                ? new ExecutionResult.Retry("busy", Duration.ofMillis(400)) : ExecutionResult.success());
        RecordingExecutor broken = new RecordingExecutor(ctx -> ExecutionResult.permanentFailure("bad params"));
        QueueName laterQueue = new QueueName("default", "later");
        QueueName brokenQueue = new QueueName("default", "broken");
        try (Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(),
                ExecutorLookup.of(Map.of("later", later, "broken", broken)));
             TestPromoter promoter = new TestPromoter(client, List.of(laterQueue), 5)) {
            runner.start();
            Job laterJob = Job.of("later");
            client.producer().push(List.of(laterJob, Job.of("broken")));

            await().atMost(Duration.ofSeconds(10)).until(() -> later.count() == 2 && client.inspector().counts(laterQueue).total() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(brokenQueue).abandoned() == 1);

            List<RecordingExecutor.Run> runs = later.runsOf(laterJob.id());
            assertThat(gapMillis(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(400); // the backoff alone would be <= 20 ms
            assertThat(broken.count()).isEqualTo(1);
            JobInfo info = client.inspector().list(brokenQueue, JobState.ABANDONED, 1).get(0);
            assertThat(info.attempts()).isEqualTo(1);
            assertThat(info.lastError()).isEqualTo("permanent failure: bad params");
        }
    }

    @Test
    void aTimedOutRunIsCancelledAndRetried(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor slow = new RecordingExecutor(ctx -> {
            ExecutionResult r = RecordingExecutor.sleep(ctx, 10_000);
            return ctx.cancelled() ? ExecutionResult.retry("stopped: cancelled") : r;
        });
        QueueName queue = new QueueName("default", "slow");
        try (Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(), ExecutorLookup.of(Map.of("slow", slow)));
             TestPromoter promoter = new TestPromoter(client, List.of(queue), 5)) {
            runner.start();
            client.producer().push(Job.of("slow"));

            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(queue).abandoned() == 1);

            assertThat(slow.runs).hasSize(2).allMatch(r -> r.nanos() < TimeUnit.SECONDS.toNanos(5));
            assertThat(client.inspector().list(queue, JobState.ABANDONED, 1).get(0).lastError())
                    .isEqualTo("out of attempts (2/2): timed out after 200 ms: stopped: cancelled");
        }
    }

    @Test
    void aSlotKilledByAnErrorIsReplacedAndTheJobRetried(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor fatal = new RecordingExecutor(ctx -> {
            if (ctx.attempt() == 1) {
                throw new LinkageError("simulated fatal error in an executor");
            }
            return ExecutionResult.success();
        });
        MetricRegistry metrics = new MetricRegistry();
        QueueName queue = new QueueName("default", "fatal");
        try (Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, metrics, ExecutorLookup.of(Map.of("fatal", fatal)));
             TestPromoter promoter = new TestPromoter(client, List.of(queue), 5)) {
            runner.start();
            client.producer().push(List.of(Job.of("fatal"), Job.of("fatal"), Job.of("fatal")));

            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(queue).total() == 0);

            assertThat(fatal.count()).isEqualTo(6);
            assertThat(metrics.meter("jobrunner_runner_slots_replaced").getCount()).isEqualTo(3);
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .filteredOn(n -> n.startsWith("slot-all-")).containsExactlyInAnyOrder("slot-all-1", "slot-all-2");
            assertThat(runner.status().groups().get(0).slots()).isEqualTo(2);
        }
    }

    private static long gapMillis(RecordingExecutor.Run before, RecordingExecutor.Run after) {
        return TimeUnit.NANOSECONDS.toMillis(after.startNanos() - before.endNanos());
    }
}
