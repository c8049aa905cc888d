package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded runs (the CLI's run command): max jobs, max time, until empty. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class BoundedRunIT {

    private static final String CONFIG = "jobrunner.runner { claim-batch = 8, groups.all { slots = 3, types = [\"*\"] } }";

    @Test
    void maxJobsRunsExactlyThatMany(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor executor = RecordingExecutor.succeeding();
        push(client, "a", 100);
        Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)));

        RunSummary summary = runner.runBounded(new RunBounds(25, null, false));

        assertThat(summary.reason()).isEqualTo(RunSummary.Reason.MAX_JOBS);
        assertThat(summary.started()).isEqualTo(25);
        assertThat(summary.succeeded()).isEqualTo(25);
        assertThat(executor.count()).isEqualTo(25);
        var counts = client.inspector().counts(new QueueName("default", "a"));
        assertThat(counts.ready()).isEqualTo(75);
        assertThat(counts.claimed()).isZero();
    }

    @Test
    void untilEmptyStopsWhenTheServedQueuesAreDrained(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor executor = RecordingExecutor.succeeding();
        push(client, "a", 40);
        push(client, "b", 40);
        push(client, "notServed", 5);
        Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner { groups.ab { slots = 3, types = ["a", "b"] } }
                """), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)));

        RunSummary summary = runner.runBounded(RunBounds.untilEmpty());

        assertThat(summary.reason()).isEqualTo(RunSummary.Reason.EMPTY);
        assertThat(executor.count()).isEqualTo(80);
        assertThat(client.inspector().counts(new QueueName("default", "notServed")).ready()).isEqualTo(5);
    }

    @Test
    void maxTimeStopsARunThatWouldNotEnd(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor slow = RecordingExecutor.sleeping(50);
        push(client, "a", 1000);
        Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", slow)));

        RunSummary summary = runner.runBounded(new RunBounds(0, Duration.ofMillis(500), true));

        assertThat(summary.reason()).isEqualTo(RunSummary.Reason.MAX_TIME);
        var counts = client.inspector().counts(new QueueName("default", "a"));
        assertThat(counts.claimed()).isZero();
        assertThat(counts.ready()).isEqualTo(1000 - summary.succeeded());
    }

    @Test
    void theConfiguredExecutorsRunTheJobs(TestRedis redis) {
        JobRunnerClient client = redis.client();
        push(client, "ok", 5);
        push(client, "broken", 2);
        Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner.groups.all { slots = 2, types = ["*"] }
                jobrunner.executors {
                  "*" { kind = command, argv = ["true"] }
                  broken { kind = command, argv = ["sh", "-c", "echo no such input >&2; exit 3"] }
                }
                jobrunner.limits.attempts { broken = 1 }
                """), client, new MetricRegistry());

        RunSummary summary = runner.runBounded(RunBounds.untilEmpty());

        assertThat(summary.succeeded()).isEqualTo(5);
        assertThat(summary.abandoned()).isEqualTo(2);
        assertThat(client.inspector().list(new QueueName("default", "broken"), io.jobrunner.client.JobState.ABANDONED, 5))
                .allSatisfy(j -> assertThat(j.lastError()).contains("out of attempts (1/1)").contains("no such input"));
    }

    private static void push(JobRunnerClient client, String type, int n) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(Job.of(type));
        }
        client.producer().push(jobs);
    }
}
