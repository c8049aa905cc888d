package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.Partitions;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Picking is fair across domains and types (a partitioned type as one, its partitions in turn), and per-type and
 * per-domain concurrency caps hold across groups.
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class FairnessAndCapsIT {

    @Test
    void domainsAreServedRoundRobin(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor executor = RecordingExecutor.succeeding();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(Job.of("work").inDomain("big"));
        }
        for (int i = 0; i < 10; i++) {
            jobs.add(Job.of("work").inDomain("small"));
        }
        client.producer().push(jobs);
        Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner { claim-batch = 1, groups.one { slots = 1, types = [\"*\"] } }"),
                client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)));

        runner.runBounded(RunBounds.untilEmpty());

        List<RecordingExecutor.Run> order = new ArrayList<>(executor.runs);
        assertThat(order).hasSize(310);
        int lastSmall = 0;
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).domain().equals("small")) {
                lastSmall = i;
            }
        }
        // alternating domains: the small domain's ten jobs are done within the first ~20 runs, not after the big backlog
        assertThat(lastSmall).isLessThan(25);
    }

    @Test
    void concurrencyCapsHoldAcrossGroups(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Map<String, AtomicInteger> runningByKey = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> maxByKey = new ConcurrentHashMap<>();
        RecordingExecutor executor = new RecordingExecutor(ctx -> {
            List<String> keys = List.of("type:" + ctx.job().type(), "domain:" + ctx.job().domain());
            keys.forEach(k -> maxByKey.computeIfAbsent(k, x -> new AtomicInteger())
                    .accumulateAndGet(runningByKey.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet(), Math::max));
            try {
                return RecordingExecutor.sleep(ctx, 10);
            } finally {
                keys.forEach(k -> runningByKey.get(k).decrementAndGet());
            }
        });
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(Job.of("transcode").inDomain("d" + (i % 3)));
            jobs.add(Job.of("render").inDomain("d" + (i % 3)));
            jobs.add(Job.of("mail").inDomain("hot"));
        }
        client.producer().push(jobs);
        Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner {
                  groups { a { slots = 6, types = ["*"] }, b { slots = 6, types = ["transcode", "mail"] } }
                  concurrency { per-type { transcode = 2 }, per-domain { hot = 3, "*" = 4 } }
                }
                """), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)));

        RunSummary summary = runner.runBounded(new RunBounds(0, Duration.ofSeconds(30), true));

        assertThat(summary.reason()).isEqualTo(RunSummary.Reason.EMPTY);
        assertThat(executor.count()).isEqualTo(180);
        assertThat(maxByKey.get("type:transcode").get()).isBetween(1, 2);
        assertThat(maxByKey.get("domain:hot").get()).isBetween(1, 3);
        for (String d : List.of("d0", "d1", "d2")) {
            assertThat(maxByKey.get("domain:" + d).get()).as(d).isBetween(1, 4);
        }
    }

    @Test
    void aPartitionedTypeGetsTheShareOfAnyOtherTypeAndItsPartitionsDrainEvenly(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withPartitions(Partitions.NONE.with("bulk", 3)), Clock.systemUTC());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(Job.of("bulk").inDomain("shop")); // round robin over the three partitions
            jobs.add(Job.of("mail").inDomain("shop"));
        }
        client.producer().push(jobs);
        Map<String, Integer> partitionOf = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            for (JobInfo j : client.inspector().list(new QueueName("shop", "bulk", p), JobState.READY, 0, 1000)) {
                partitionOf.put(j.id(), p);
            }
        }
        assertThat(partitionOf).as("the push spread bulk over three partitions").hasSize(300);
        RecordingExecutor executor = RecordingExecutor.succeeding();
        Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner { claim-batch = 1, groups.one { slots = 1, types = [\"*\"] } }"),
                client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)));

        runner.runBounded(new RunBounds(240, Duration.ofSeconds(60), false));

        List<RecordingExecutor.Run> runs = new ArrayList<>(executor.runs);
        assertThat(runs).hasSize(240);
        long mail = runs.stream().filter(r -> r.type().equals("mail")).count();
        int[] byPartition = new int[3];
        runs.stream().filter(r -> r.type().equals("bulk")).forEach(r -> byPartition[partitionOf.get(r.id())]++);
        System.out.printf("240 runs: mail %d, bulk by partition %s%n", mail, Arrays.toString(byPartition));
        assertThat(mail).as("one turn each: the partitioned type gets no more than the other").isBetween(108L, 132L);
        for (int p = 0; p < 3; p++) {
            assertThat(byPartition[p]).as("partition " + p + " of bulk: a third of its runs").isBetween(32, 48);
        }
    }
}
