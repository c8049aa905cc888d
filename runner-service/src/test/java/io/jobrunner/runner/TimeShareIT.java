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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time share: with both classes backlogged the high class gets high-share (0.8) of slot-busy time, also when
 * low-priority jobs run ten times longer; a class with no work yields its share at once.
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class TimeShareIT {

    private static final String CONFIG = """
            jobrunner.runner {
              share-window = 1s
              groups { mixed { slots = 4, types = ["hi", "lo"], low-priority = ["lo"], high-share = 0.8 } }
            }
            """;

    @Test
    void highClassGetsItsShareWithEqualJobs(TestRedis redis) {
        double share = measure(redis, 5, 5);
        System.out.printf("time share, 5 ms vs 5 ms jobs: %.3f%n", share);
        assertThat(share).isBetween(0.75, 0.85);
    }

    @Test
    void highClassGetsItsShareWhenLowJobsAreTenTimesLonger(TestRedis redis) {
        double share = measure(redis, 5, 50);
        System.out.printf("time share, 5 ms vs 50 ms jobs: %.3f%n", share);
        assertThat(share).isBetween(0.75, 0.85);
    }

    @Test
    void aClassWithNoWorkYieldsItsShare(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor lo = RecordingExecutor.sleeping(20);
        Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(),
                ExecutorLookup.of(Map.of("lo", lo, "hi", RecordingExecutor.succeeding())));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(Job.of("lo"));
        }
        client.producer().push(jobs);

        RunSummary summary = runner.runBounded(new RunBounds(0, Duration.ofSeconds(20), true));

        assertThat(summary.reason()).isEqualTo(RunSummary.Reason.EMPTY);
        assertThat(lo.count()).isEqualTo(60);
        // the low class was not held to its 20%: it used every slot while the high class had nothing
        assertThat(lo.maxRunning.get()).isEqualTo(4);
    }

    /** Runs both classes backlogged for 3 s; returns the high share of busy time measured from the executors. */
    private double measure(TestRedis redis, long highMillis, long lowMillis) {
        JobRunnerClient client = redis.client();
        RecordingExecutor hi = RecordingExecutor.sleeping(highMillis);
        RecordingExecutor lo = RecordingExecutor.sleeping(lowMillis);
        Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, new MetricRegistry(), ExecutorLookup.of(Map.of("hi", hi, "lo", lo)));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            jobs.add(Job.of("hi").inDomain(i % 2 == 0 ? "a" : "b"));
        }
        for (int i = 0; i < 1500; i++) {
            jobs.add(Job.of("lo"));
        }
        client.producer().push(jobs);

        List<Double> reported = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            var groups = runner.status().groups();
            if (!groups.isEmpty() && groups.get(0).highShare() != null) {
                reported.add(groups.get(0).highShare());
            }
        }, 1500, 100, TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        RunSummary summary;
        try {
            summary = runner.runBounded(new RunBounds(0, Duration.ofSeconds(3), false));
        } finally {
            sampler.shutdownNow();
        }
        assertThat(summary.reason()).isEqualTo(RunSummary.Reason.MAX_TIME);
        // both classes stayed backlogged for the whole run
        assertThat(client.inspector().counts(new QueueName("default", "lo")).ready()).isPositive();
        assertThat(client.inspector().counts(List.of(new QueueName("a", "hi"), new QueueName("b", "hi")))).allMatch(c -> c.ready() > 0);

        // measured from the executors, over the run after a warm-up of 500 ms (jobs cut at the window's edges)
        long from = t0 + TimeUnit.MILLISECONDS.toNanos(500);
        long to = t0 + TimeUnit.MILLISECONDS.toNanos(3000);
        double high = busy(hi, from, to);
        double low = busy(lo, from, to);
        assertThat(reported).isNotEmpty();
        double last = reported.get(reported.size() - 1);
        System.out.printf("runner-reported high share (share window 1 s): last %.3f, samples %s%n", last, reported);
        assertThat(last).isBetween(0.7, 0.9);
        return high / (high + low);
    }

    private static double busy(RecordingExecutor executor, long from, long to) {
        double total = 0;
        for (RecordingExecutor.Run r : executor.runs) {
            long start = Math.max(r.startNanos(), from);
            long end = Math.min(r.endNanos(), to);
            if (end > start) {
                total += end - start;
            }
        }
        return total;
    }
}
