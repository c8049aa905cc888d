package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster-wide rate limits under runners competing for the same queues. Each run records when its job was claimed
 * by Redis's clock (its claim deadline minus the claim TTL, read while it runs), so the counts per window are
 * Redis's, whatever the speed of this machine: the limit is checked from above over every one-second window, and
 * only leniently from below.
 */
@ExtendWith(RedisExtension.class)
class RateLimitRunnerIT {

    private static final Logger log = LoggerFactory.getLogger(RateLimitRunnerIT.class);
    private static final long TTL_MS = 60_000;

    /** Claim times (epoch ms, Redis clock) of the runs, per domain. */
    private final Map<String, ConcurrentLinkedQueue<Long>> claimedAt = new ConcurrentHashMap<>();

    private RecordingExecutor stamping(JobRunnerClient client) {
        return new RecordingExecutor(ctx -> {
            Job job = ctx.job();
            QueueName queue = new QueueName(job.domain(), job.type());
            Double deadline = client.redis().zscore(client.keys().queue(queue).claimed(), job.id());
            if (deadline != null) {
                claimedAt.computeIfAbsent(job.domain(), d -> new ConcurrentLinkedQueue<>()).add(deadline.longValue() - TTL_MS);
            }
            return ExecutionResult.success();
        });
    }

    @Test
    void aHundredPerSecondInEachDomainHoldsWithinFivePercentUnderEightRunners(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        for (String domain : List.of("shop1", "shop2")) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                jobs.add(Job.of("sendMail").inDomain(domain));
            }
            client.producer().push(jobs);
        }
        RecordingExecutor executor = stamping(client);
        List<Runner> runners = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Runner runner = Runner.create(RunnerConfigs.of("""
                        jobrunner.runner.groups.all { slots = 4, types = ["sendMail"] }
                        jobrunner.runner.rate-limits.per-queue { sendMail { limit = 100, per = 1s } }
                        """), redis.client(), new MetricRegistry(), ExecutorLookup.of(Map.of("sendMail", executor)));
                runners.add(runner);
                runner.start();
            }
            await("12 s of runs in each domain, by Redis's clock").atMost(Duration.ofSeconds(120))
                    .until(() -> span("shop1") >= 12_000 && span("shop2") >= 12_000);
        } finally {
            for (Runner r : runners) {
                r.close();
            }
        }
        for (String domain : List.of("shop1", "shop2")) {
            List<Long> times = sorted(domain);
            assertThat(mostInAnyWindow(times, 1000)).as("%s: most claims in any 1 s window", domain).isLessThanOrEqualTo(105);
            long from = times.get(0) + 1000; // past the first second: the rate, not the start
            int inTen = countIn(times, from, from + 10_000);
            log.info("{}: {} claims in 10 s (limit 1000), at most {} in any 1 s window", domain, inTen, mostInAnyWindow(times, 1000));
            assertThat(inTen).as("%s: claims in 10 s", domain).isLessThanOrEqualTo(1050).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void aDomainsLimitIsSharedByItsTypesAndUnusedTokensComeBack(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(Job.of(i % 2 == 0 ? "typeA" : "typeB").inDomain("tenant"));
        }
        client.producer().push(jobs);
        RecordingExecutor executor = stamping(client);
        List<Runner> runners = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Runner runner = Runner.create(RunnerConfigs.of("""
                        jobrunner.runner.groups.all { slots = 3, types = ["*"] }
                        jobrunner.runner.rate-limits.per-domain { tenant { limit = 40, per = 1s, burst = 4 } }
                        """), redis.client(), new MetricRegistry(), ExecutorLookup.of(Map.of("typeA", executor, "typeB", executor)));
                runners.add(runner);
                runner.start();
            }
            await("5 s of runs, by Redis's clock").atMost(Duration.ofSeconds(60)).until(() -> span("tenant") >= 5_000);
        } finally {
            for (Runner r : runners) {
                r.close();
            }
        }
        List<Long> times = sorted("tenant");
        // The tokens are spaced in Redis at rate-take; the claim that follows is one round trip later, and that
        // delay varies: the claim times hold burst + 40 within 5%.
        assertThat(mostInAnyWindow(times, 1000)).as("burst + 40 in any 1 s window, within 5%").isLessThanOrEqualTo(46);
        assertThat(executor.runs).extracting(RecordingExecutor.Run::type).contains("typeA", "typeB");
        assertThat(countIn(times, times.get(0), times.get(0) + 4000)).as("lenient lower side").isGreaterThanOrEqualTo(60);
    }

    private long span(String domain) {
        ConcurrentLinkedQueue<Long> times = claimedAt.get(domain);
        if (times == null || times.isEmpty()) {
            return 0;
        }
        List<Long> sorted = sorted(domain);
        return sorted.get(sorted.size() - 1) - sorted.get(0);
    }

    private List<Long> sorted(String domain) {
        List<Long> times = new ArrayList<>(claimedAt.getOrDefault(domain, new ConcurrentLinkedQueue<>()));
        times.sort(null);
        return times;
    }

    private static int mostInAnyWindow(List<Long> sorted, long windowMs) {
        int most = 0;
        int j = 0;
        for (int i = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= windowMs) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    private static int countIn(List<Long> sorted, long from, long to) {
        return (int) sorted.stream().filter(t -> t >= from && t < to).count();
    }
}
