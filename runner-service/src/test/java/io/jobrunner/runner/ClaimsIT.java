package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RecycleResult;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Claims: a long job is heartbeated and never run twice; shutdown gives running and buffered jobs back. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class ClaimsIT {

    @Test
    void aLongJobIsHeartbeatedAndNeverRecycled(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor longJob = RecordingExecutor.sleeping(3000);
        QueueName queue = new QueueName("default", "long");
        List<RecycleResult> recycles = new CopyOnWriteArrayList<>();
        AtomicBoolean recycling = new AtomicBoolean(true);
        Thread recycler = new Thread(() -> { // what a chron does, concurrently, every 100 ms
            while (recycling.get()) {
                recycles.add(client.maintenance().recycle(queue, 5).join());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner.groups.all { slots = 2, types = ["*"] }
                jobrunner.limits.claim-ttl { long = 1s }
                """), client, new MetricRegistry(), ExecutorLookup.of(Map.of("long", longJob)))) {
            runner.start();
            Job job = Job.of("long");
            client.producer().push(job);
            await().atMost(Duration.ofSeconds(5)).until(() -> longJob.running.get() == 1);
            recycler.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(queue).total() == 0);
        } finally {
            recycling.set(false);
            recycler.interrupt();
            recycler.join(5000);
        }
        assertThat(longJob.count()).isEqualTo(1);
        assertThat(recycles).hasSizeGreaterThan(10).allMatch(r -> r.recycled() == 0 && r.abandoned() == 0);
    }

    @Test
    void aRunWhoseClaimWasLostIsCancelledAndLeftToItsNewOwner(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        RecordingExecutor waiting = new RecordingExecutor(ctx -> {
            ExecutionResult r = RecordingExecutor.sleep(ctx, 20_000);
            return ctx.cancelled() ? ExecutionResult.retry("cancelled") : r;
        });
        QueueName queue = new QueueName("default", "stolen");
        MetricRegistry metrics = new MetricRegistry();
        try (Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner.groups.all { slots = 1, types = ["*"] }
                jobrunner.limits.claim-ttl { stolen = 600ms }
                """), client, metrics, ExecutorLookup.of(Map.of("stolen", waiting)))) {
            runner.start();
            Job job = Job.of("stolen");
            client.producer().push(job);
            await().atMost(Duration.ofSeconds(5)).until(() -> waiting.running.get() == 1);
            // another process took the claim over (as after a stall long enough for the chron to recycle it)
            client.redis().hset(client.keys().queue(queue).meta(), job.id() + ":t", "someone-else");

            await().atMost(Duration.ofSeconds(5)).until(() -> waiting.count() == 1);

            assertThat(waiting.runs.peek().nanos()).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
            assertThat(metrics.meter("jobrunner_runner_claims_lost").getCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> runner.status().current().isEmpty());
            // nothing was done to the job: it is still claimed, by its new owner
            assertThat(client.redis().hget(client.keys().queue(queue).meta(), job.id() + ":t")).isEqualTo("someone-else");
            assertThat(client.inspector().counts(queue).claimed()).isEqualTo(1);
        }
    }

    @Test
    void bufferedJobsNotStartedWithinTheBufferTimeAreGivenBack(TestRedis redis) {
        JobRunnerClient client = redis.client();
        AtomicBoolean first = new AtomicBoolean(true);
        // the first run is quick, so the runner expects quick jobs and claims a batch; the rest are slow
        RecordingExecutor executor = new RecordingExecutor(ctx -> RecordingExecutor.sleep(ctx, first.getAndSet(false) ? 1 : 150));
        QueueName queue = new QueueName("default", "misjudged");
        MetricRegistry metrics = new MetricRegistry();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            jobs.add(Job.of("misjudged"));
        }
        client.producer().push(jobs);
        Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner { claim-batch = 16, buffer-time = 100ms, groups.one { slots = 1, types = ["*"] } }
                """), client, metrics, ExecutorLookup.of(Map.of("*", executor)));

        RunSummary summary = runner.runBounded(new RunBounds(0, Duration.ofSeconds(60), true));

        assertThat(summary.reason()).isEqualTo(RunSummary.Reason.EMPTY);
        assertThat(metrics.meter(MetricName.of("jobrunner_jobs_requeued", "type", "misjudged")).getCount()).isPositive();
        assertThat(executor.runsById).hasSize(16).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(executor.runs).allMatch(r -> r.attempt() == 1); // given back unstarted: the attempt was not counted
        assertThat(client.inspector().counts(queue).total()).isZero();
    }

    @Test
    void shutdownGivesRunningJobsBackWithoutCountingTheAttempt(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor stuck = new RecordingExecutor(ctx -> {
            ExecutionResult r = RecordingExecutor.sleep(ctx, 20_000);
            return ctx.cancelled() ? ExecutionResult.retry("cancelled") : r;
        });
        QueueName queue = new QueueName("default", "stuck");
        Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner.groups.all { slots = 2, types = [\"*\"] }"),
                client, new MetricRegistry(), ExecutorLookup.of(Map.of("stuck", stuck)));
        runner.start();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(Job.of("stuck"));
        }
        client.producer().push(jobs);
        await().atMost(Duration.ofSeconds(5)).until(() -> stuck.running.get() == 2);

        boolean clean = runner.stop(Duration.ofMillis(300));

        assertThat(clean).isFalse();
        assertThat(stuck.count()).isEqualTo(2);
        var counts = client.inspector().counts(queue);
        assertThat(counts.ready()).isEqualTo(5);
        assertThat(counts.claimed()).isZero();
        List<JobInfo> ready = client.inspector().list(queue, JobState.READY, 10);
        assertThat(ready).hasSize(5).allMatch(j -> j.attempts() == 0); // the interrupted attempt was not counted
        assertThat(runner.status().state()).isEqualTo("STOPPED");
    }

    @Test
    void shutdownWaitsForRunningJobsWithinTheGraceAndGivesBufferedJobsBack(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor quick = RecordingExecutor.sleeping(20);
        QueueName queue = new QueueName("default", "quick");
        Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner { claim-batch = 50, buffer-time = 10s, groups.all { slots = 2, types = ["*"] } }
                """), client, new MetricRegistry(), ExecutorLookup.of(Map.of("quick", quick)));
        runner.start();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            jobs.add(Job.of("quick"));
        }
        client.producer().push(jobs);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.status().buffered() > 0);

        boolean clean = runner.stop(Duration.ofSeconds(5));

        assertThat(clean).isTrue();
        var counts = client.inspector().counts(queue);
        assertThat(counts.claimed()).isZero();
        assertThat(counts.ready()).isEqualTo(400 - quick.count()); // what ran was acked, what was buffered is back
        assertThat(quick.runs).allMatch(r -> r.result() instanceof ExecutionResult.Success);
        assertThat(client.inspector().list(queue, JobState.READY, 500)).allMatch(j -> j.attempts() == 0);
    }
}
