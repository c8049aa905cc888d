package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import io.jobrunner.service.metrics.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A runner drops expired jobs instead of running them: its type's expire-after, or the job's own expireAt. */
@Timeout(60)
@ExtendWith(RedisExtension.class)
class ExpiryRunnerIT {

    @Test
    void expiredJobsAreCountedAndKeptNotRun(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor report = new RecordingExecutor(ctx -> ExecutionResult.success());
        MetricRegistry metrics = new MetricRegistry();
        QueueName queue = new QueueName("default", "report");
        Job stale = Job.of("report").enqueuedAt(Instant.now().minus(Duration.ofHours(2)).toEpochMilli());
        Job pastItsOwn = Job.of("report").expireAt(Instant.now().minus(Duration.ofSeconds(5)));
        Job fresh = Job.of("report");
        client.producer().push(List.of(stale, pastItsOwn, fresh));

        try (Runner runner = Runner.create(RunnerConfigs.of("""
                        jobrunner.runner.groups.all { slots = 1, types = ["*"] }
                        jobrunner.limits.expire-after { report = 1h }
                        """), client, metrics, ExecutorLookup.of(Map.of("report", report)))) {
            runner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(queue).total() == 0);
        }

        assertThat(report.runsOf(fresh.id())).hasSize(1);
        assertThat(report.runsOf(stale.id())).isEmpty();
        assertThat(report.runsOf(pastItsOwn.id())).isEmpty();
        assertThat(metrics.meter(MetricName.of("jobrunner_jobs_expired", "type", "report")).getCount()).isEqualTo(2);
        assertThat(client.inspector().list(queue, JobState.EXPIRED, 10)).extracting(JobInfo::id)
                .containsExactlyInAnyOrder(stale.id(), pastItsOwn.id());
    }
}
