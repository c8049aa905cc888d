package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link QueueMaintenance#workDue}, the due-index protocol: take the queue out of {@code jr:due}, recycle and
 * promote until a short batch, put back the next due time with ZADD LT; a lowerDue that lands meanwhile is kept.
 */
@ExtendWith(RedisExtension.class)
class WorkDueIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("due");

    @Test
    void recyclesPromotesAndLowersTheQueueToItsNextDueTime(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withBatchSize(2), clock);
        client.producer().push(TestJobs.jobs(queue, 3));
        claim(client, queue, 3);
        client.producer().push(TestJobs.job(queue).delayed(clock, Duration.ofSeconds(10)).build(3));
        Job later = TestJobs.job(queue).delayed(clock, TTL.multipliedBy(5)).build();
        client.producer().push(later);
        QueueProbe probe = QueueProbe.of(client, queue);
        await().atMost(Duration.ofSeconds(5)).until(() -> // the claim's due entry is not awaited by claim
                client.redis().zscore(client.keys().due(), queue.toString()) != null);
        probe.age(TTL.plusMillis(1));
        long laterAt = probe.score(JobState.DELAYED, later.id());
        assertThat(join(client.registry().dueQueues(10)).queues()).containsExactly(queue);

        QueueMaintenance.DueWork work = client.maintenance().workDue(queue, 3);

        assertThat(work).isEqualTo(new QueueMaintenance.DueWork(queue, 3, 0, 3, laterAt, 0));
        assertThat(client.redis().zscore(client.keys().due(), queue.toString())).isEqualTo((double) laterAt);
        assertThat(join(client.registry().dueQueues(10)).queues()).isEmpty();
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 6, 1, 0, 0));
    }

    @Test
    void aQueueWithNothingLeftToFallDueLeavesTheIndex(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        claim(client, queue, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.redis().zscore(client.keys().due(), queue.toString()) != null);
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));

        QueueMaintenance.DueWork work = client.maintenance().workDue(queue, 1);

        assertThat(work).isEqualTo(new QueueMaintenance.DueWork(queue, 0, 1, 0, -1, 0));
        assertThat(client.redis().zscore(client.keys().due(), queue.toString())).isNull();
    }

    @Test
    void aLowerDueThatLandsDuringTheWorkIsNotLost(TestRedis redis) {
        JobRunnerClient chron = redis.client(clock);
        JobRunnerClient other = redis.client(new TestClock());
        Job later = TestJobs.job(queue).delayed(clock, Duration.ofMinutes(10)).build();
        chron.producer().push(later);
        long laterAt = QueueProbe.of(chron, queue).score(JobState.DELAYED, later.id());
        long concurrentDue = QueueProbe.of(chron, queue).serverTime() + 1_000; // e.g. a claim made by a runner just now

        // workDue's steps, with a runner's lower landing after the queue was taken out of the index
        join(chron.registry().clearDue(queue));
        join(other.registry().lowerDue(queue, concurrentDue));
        RecycleResult recycled = join(chron.maintenance().recycle(queue, 3));
        PromoteResult promoted = join(chron.maintenance().promote(queue));
        join(chron.registry().lowerDue(queue, promoted.nextDue()));

        assertThat(recycled.nextDue()).isEqualTo(laterAt);
        assertThat(promoted.nextDue()).isEqualTo(laterAt);
        assertThat(chron.redis().zscore(chron.keys().due(), queue.toString())).isEqualTo((double) concurrentDue);
    }

    @Test
    void underConcurrentPushesAndClaimsTheIndexNeverRunsLateForWhatIsWaiting(TestRedis redis) throws Exception {
        JobRunnerClient chron = redis.client();
        JobRunnerClient producer = redis.client();
        JobRunnerClient runner = redis.client();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        tasks.add(() -> {
            start.await();
            for (int i = 0; i < 300; i++) {
                long release = System.currentTimeMillis() + ThreadLocalRandom.current().nextInt(1, 50);
                producer.producer().push(TestJobs.job(queue).releaseAt(java.time.Instant.ofEpochMilli(release)).build());
                if (i % 3 == 0) {
                    claim(runner, queue, 2); // claims with a 60 s deadline, never acked
                }
            }
            stop.set(true);
            return null;
        });
        tasks.add(() -> {
            start.await();
            for (int i = 0; i < 100_000 && !stop.get() && !Thread.currentThread().isInterrupted(); i++) {
                chron.maintenance().workDue(queue, 3);
            }
            return null;
        });
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            tasks.forEach(t -> futures.add(pool.submit(t)));
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        // at rest: the queue is due no later than its earliest release time or claim deadline
        var keys = chron.keys().queue(queue);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<Double> dueTimes = new ArrayList<>();
            chron.redis().zrangeWithScores(keys.delayed(), 0, 0).forEach(sv -> dueTimes.add(sv.getScore()));
            chron.redis().zrangeWithScores(keys.claimed(), 0, 0).forEach(sv -> dueTimes.add(sv.getScore()));
            assertThat(dueTimes).isNotEmpty();
            Double indexed = chron.redis().zscore(chron.keys().due(), queue.toString());
            assertThat(indexed).isNotNull();
            assertThat(indexed).isLessThanOrEqualTo(dueTimes.stream().min(Double::compare).orElseThrow());
        });
    }
}
