package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.ids;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race claim.lua exists to prevent: claimers on separate connections, racing for the same queue, never
 * get the same job, and every job is claimed once. Bounded in jobs, rounds and time.
 */
@ExtendWith(RedisExtension.class)
class ClaimRaceIT {

    private static final int CLAIMERS = 4;
    private static final long TIME_LIMIT_SECONDS = 60;

    private final QueueName queue = TestJobs.queue("race");

    @Test
    void concurrentClaimersNeverGetTheSameJob(TestRedis redis) throws Exception {
        int jobCount = 3000;
        List<Job> jobs = TestJobs.jobs(queue, jobCount);
        redis.client().producer().push(jobs);

        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<String>>> claimers = new ArrayList<>();
        for (int c = 0; c < CLAIMERS; c++) {
            JobRunnerClient client = redis.client(); // a connection of its own, like another runner
            claimers.add(() -> {
                start.await();
                List<String> mine = new ArrayList<>();
                for (int round = 0; round < jobCount && !Thread.currentThread().isInterrupted(); round++) {
                    ClaimBatch batch = claim(client, queue, 1 + ThreadLocalRandom.current().nextInt(16));
                    mine.addAll(ids(batch));
                    if (batch.jobs().isEmpty() && batch.remaining() == 0) {
                        break;
                    }
                }
                return mine;
            });
        }
        List<String> all = runAll(claimers, start);

        assertThat(all).hasSize(jobCount).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(ids(jobs)));
        assertThat(redis.client().inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 0, 0, jobCount, 0));
    }

    @Test
    void claimersRacingAProducerAckEveryJobExactlyOnceWithTheirOwnTokens(TestRedis redis) throws Exception {
        int jobCount = 2000;
        List<Job> jobs = TestJobs.jobs(queue, jobCount);
        JobRunnerClient producerClient = redis.client();
        AtomicBoolean producerDone = new AtomicBoolean();

        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<String>>> tasks = new ArrayList<>();
        tasks.add(() -> {
            start.await();
            for (int from = 0; from < jobCount; from += 25) {
                producerClient.producer().push(jobs.subList(from, Math.min(jobCount, from + 25)));
            }
            producerDone.set(true);
            return List.of();
        });
        for (int c = 0; c < CLAIMERS - 1; c++) {
            JobRunnerClient client = redis.client();
            tasks.add(() -> {
                start.await();
                List<String> acked = new ArrayList<>();
                for (int round = 0; round < 50 * jobCount && !Thread.currentThread().isInterrupted(); round++) {
                    boolean finished = producerDone.get(); // read before the claim: an empty claim after it means done
                    ClaimBatch batch = claim(client, queue, 1 + ThreadLocalRandom.current().nextInt(8));
                    List<ClaimRef> refs = batch.jobs().stream().map(ClaimedJob::ref).toList();
                    AckResult ack = join(client.consumer().ack(queue, refs));
                    assertThat(ack.stale()).as("a claim this claimer holds is never stale").isEmpty();
                    acked.addAll(ids(batch));
                    if (finished && batch.jobs().isEmpty() && batch.remaining() == 0) {
                        break;
                    }
                }
                return acked;
            });
        }
        List<String> all = runAll(tasks, start);

        assertThat(all).hasSize(jobCount).doesNotHaveDuplicates();
        assertThat(Set.copyOf(all)).isEqualTo(Set.copyOf(ids(jobs)));
        assertThat(redis.client().inspector().counts(queue).total()).isZero();
    }

    private static List<String> runAll(List<Callable<List<String>>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (Callable<List<String>> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS);
            for (Future<List<String>> f : futures) {
                all.addAll(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
