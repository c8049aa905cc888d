package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A queue stays findable whatever registry write is lost. A producer adds the queue to {@code jr:queues} before
 * its push runs, so a lost follow-up (the stamp in {@code jr:ready}, the wake-up) only delays pickup until the
 * chron's repair (here every 500 ms); a queue missing from every registry (a failover that lost the SADD too) is
 * found by the repair's keyspace sweep. Bound: 0 jobs lost, 0 run twice.
 */
@ExtendWith(RedisExtension.class)
class LostRegistrationIT {

    private static final String TYPE = "lostFollowUp";
    private final QueueName queue = new QueueName("default", TYPE);

    @Test
    void aPushWhoseFollowUpWasLostAndTwentyMoreAllRun(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = new ArrayList<>();
        jobs.add(Job.of(TYPE));
        client.producer().push(jobs.get(0));
        // its follow-up is lost: no stamp in jr:ready (the script's wake-up reached no runner: none was running)
        client.redis().hdel(client.keys().readyRegistry(), queue.toString());
        for (int i = 0; i < 20; i++) {
            Job job = Job.of(TYPE);
            jobs.add(job);
            client.producer().push(job); // the queue was not empty: no follow-up
        }
        assertThat(client.redis().hexists(client.keys().readyRegistry(), queue.toString())).isFalse();
        assertThat(client.redis().sismember(client.keys().queues(), queue.toString())).as("known before it was stored").isTrue();

        assertAllRunOnce(client, jobs);
    }

    @Test
    void aQueueMissingFromEveryRegistryIsFoundByTheSweep(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            jobs.add(Job.of(TYPE));
        }
        client.producer().push(jobs);
        client.redis().srem(client.keys().queues(), queue.toString());
        client.redis().hdel(client.keys().readyRegistry(), queue.toString());
        client.redis().zrem(client.keys().due(), queue.toString());

        assertAllRunOnce(client, jobs);
    }

    private void assertAllRunOnce(JobRunnerClient client, List<Job> jobs) {
        Config config = TestConfigs.config(
                "jobrunner.chron { interval = 100ms, repair-interval = 500ms }",
                "jobrunner.runner { refresh-interval = 500ms, groups.all { slots = 4, types = [\"*\"] }, http.enabled = false, jmx.enabled = false }");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        JobExecutor recording = context -> {
            runs.computeIfAbsent(context.job().id(), id -> new AtomicInteger()).incrementAndGet();
            return ExecutionResult.success();
        };
        try (Chron chron = Chron.create(config, client, new MetricRegistry());
             Runner runner = Runner.create(config, client, new MetricRegistry(), ExecutorLookup.of(Map.of(TYPE, recording)))) {
            long started = System.nanoTime();
            runner.start();
            chron.start();
            await("all 21 run").atMost(Duration.ofSeconds(30)).until(() -> runs.size() == jobs.size()
                    && client.inspector().counts(queue).total() == 0);
            System.out.printf("lost registration: %d jobs run %.2f s after runner and chron started (repair every 500 ms)%n",
                    jobs.size(), (System.nanoTime() - started) / 1e9);
        }
        assertThat(runs.keySet()).as("0 lost").containsExactlyInAnyOrderElementsOf(jobs.stream().map(Job::id).toList());
        assertThat(runs.values()).as("0 run twice").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }
}
