package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hosts whose clocks are minutes apart: a producer and a runner 10 minutes behind, a chron 10 minutes ahead.
 * Every stored time and every "now" compared with one is Redis's, so jobs that run three times longer than their
 * claim TTL (kept alive by heartbeats) are never recycled, and a job delayed by 2 s by the slow producer does not
 * run before 2 s have passed. Bound: 0 jobs lost, 0 run twice, 0 recycled.
 */
@ExtendWith(RedisExtension.class)
class ClockSkewIT {

    private static final Duration SKEW = Duration.ofMinutes(10);

    @Test
    void healthyClaimsAreNotRecycledAndDelayedJobsDoNotRunEarly(TestRedis redis) {
        JobRunnerClient producer = redis.client(Clock.offset(Clock.systemUTC(), SKEW.negated()));
        JobRunnerClient runnerClient = redis.client(Clock.offset(Clock.systemUTC(), SKEW.negated()));
        JobRunnerClient chronClient = redis.client(Clock.offset(Clock.systemUTC(), SKEW));
        Config config = TestConfigs.config(
                "jobrunner.limits.claim-ttl { slow = 600ms }",
                "jobrunner.chron { interval = 50ms, repair-interval = 1s }",
                "jobrunner.runner { groups.all { slots = 6, types = [\"*\"] }, http.enabled = false, jmx.enabled = false }");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        JobExecutor slow = context -> {
            startedAt.putIfAbsent(context.job().id(), System.nanoTime());
            runs.computeIfAbsent(context.job().id(), id -> new AtomicInteger()).incrementAndGet();
            LockSupport.parkNanos(Duration.ofMillis(1800).toNanos()); // three claim TTLs: heartbeats keep it
            return ExecutionResult.success();
        };
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(Job.of("slow"));
        }
        MetricRegistry chronMetrics = new MetricRegistry();
        try (Chron chron = Chron.create(config, chronClient, chronMetrics);
             Runner runner = Runner.create(config, runnerClient, new MetricRegistry(), ExecutorLookup.of(Map.of("slow", slow)))) {
            chron.start();
            runner.start();
            long pushedAt = System.nanoTime();
            Job delayed = Job.of("slow").releaseAt(producer.clock().instant().plusSeconds(2)); // by the slow clock
            producer.producer().push(delayed);
            producer.producer().push(jobs);
            jobs.add(delayed);

            await("all run and are acked").atMost(Duration.ofSeconds(30))
                    .until(() -> runs.size() == jobs.size() && producer.inspector().counts(delayed.queue()).total() == 0);
            Duration waited = Duration.ofNanos(startedAt.get(delayed.id()) - pushedAt);
            System.out.printf("clock skew: a job delayed 2 s by a producer 10 min behind ran after %d ms%n", waited.toMillis());
            assertThat(waited).as("not before its delay").isGreaterThanOrEqualTo(Duration.ofMillis(1990));
        }
        assertThat(runs.keySet()).as("0 lost").containsExactlyInAnyOrderElementsOf(jobs.stream().map(Job::id).toList());
        assertThat(runs.values()).as("0 run twice").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(chronMetrics.getMeters((name, m) -> name.startsWith("jobrunner_chron_jobs_recycled")).values())
                .as("no healthy claim recycled").allSatisfy(m -> assertThat(m.getCount()).isZero());
    }
}
