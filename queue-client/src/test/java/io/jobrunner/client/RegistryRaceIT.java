package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static io.jobrunner.client.TestSupport.scripts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The race the registry protocol exists to prevent: a push to a queue while its last job is being claimed must
 * never leave the queue out of {@code jr:ready}. A runner reads the stamp, claims, and on an empty queue removes
 * the entry only if the stamp is unchanged; a push that found the queue empty writes a fresh stamp.
 */
@ExtendWith(RedisExtension.class)
class RegistryRaceIT {

    private final QueueName queue = TestJobs.queue("registry");

    @Test
    void aPushWhileTheLastJobIsClaimedMakesTheCompareAndDeleteFail(TestRedis redis) {
        JobRunnerClient runner = redis.client();
        JobRunnerClient producer = redis.client();
        producer.producer().push(TestJobs.job(queue).build());

        String stamp = join(runner.registry().readyQueues()).get(queue);   // 1. the runner reads the stamp
        ClaimBatch last = claim(runner, queue, 10);                           // 2. claims the last job
        assertThat(last.remaining()).isZero();
        Job pushed = TestJobs.job(queue).build();
        producer.producer().push(pushed);                                     // 3. a push lands meanwhile

        assertThat(join(runner.registry().removeIfUnchanged(queue, stamp))).isFalse(); // 4. must not remove
        Map<QueueName, String> registry = join(runner.registry().readyQueues());
        assertThat(registry).containsKey(queue);
        assertThat(registry.get(queue)).isNotEqualTo(stamp);
        assertThat(claim(runner, queue, 10).jobs()).extracting(ClaimedJob::id).containsExactly(pushed.id());
    }

    /** On a cluster, where the push script and its follow-up are two steps. */
    @Test
    void whenTheRemoveWinsThePushFollowUpPutsTheQueueBack(TestRedis redis) {
        JobRunnerClient runner = redis.client();
        JobRunnerClient producer = redis.client();
        assumeTrue(producer.endpoint().cluster(), "on a single node the push script writes the stamp itself: no follow-up");
        producer.producer().push(TestJobs.job(queue).build());
        String stamp = join(runner.registry().readyQueues()).get(queue);
        assertThat(claim(runner, queue, 10).remaining()).isZero();

        // the push script runs, but its follow-up (fresh stamp) has not landed yet
        Job pushed = TestJobs.job(queue).build();
        QueueScripts.PushReply reply = join(scripts(producer).push(queue,
                List.of(new QueueScripts.PushItem(pushed.id(), JobCodec.encodeStored(pushed, 1 << 20), 0, null, null, 0, 0))));
        assertThat(reply.readyWasEmpty()).isTrue();
        assertThat(join(runner.registry().removeIfUnchanged(queue, stamp))).isTrue(); // the runner removes first
        join(producer.registry().markReady(queue));                                   // then the follow-up lands

        assertThat(join(runner.registry().readyQueues())).containsKey(queue);
    }

    @Test
    void aRunnerThatFindsTheQueueEmptyWithNoPushRemovesIt(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(TestJobs.job(queue).build());
        String stamp = join(client.registry().readyQueues()).get(queue);
        assertThat(claim(client, queue, 10).remaining()).isZero();
        assertThat(join(client.registry().removeIfUnchanged(queue, stamp))).isTrue();
        assertThat(join(client.registry().readyQueues())).isEmpty();
    }

    /**
     * Producers push to a few queues while runners that find queues only through the registry claim, ack and
     * remove emptied queues by the protocol. A hidden queue would strand its jobs and the runners would never
     * finish; bounded by job count, rounds and time.
     */
    @Test
    void underConcurrentPushesAndClaimsNoQueueWithReadyJobsIsEverLeftOutForGood(TestRedis redis) throws Exception {
        List<QueueName> queues = List.of(TestJobs.queue("r0"), TestJobs.queue("r1"), TestJobs.queue("r2"));
        int perProducer = 300;
        int producers = 2;
        int runners = 3;
        int total = perProducer * producers;
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger removals = new AtomicInteger();
        AtomicInteger producersDone = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            JobRunnerClient client = redis.client();
            tasks.add(() -> {
                start.await();
                for (int i = 0; i < perProducer; i++) {
                    QueueName q = queues.get(ThreadLocalRandom.current().nextInt(queues.size()));
                    client.producer().push(TestJobs.job(q).build());
                    if (i % 10 == 0) {
                        LockSupport.parkNanos(200_000); // let queues drain to empty now and then
                    }
                }
                producersDone.incrementAndGet();
                return null;
            });
        }
        for (int r = 0; r < runners; r++) {
            JobRunnerClient client = redis.client();
            tasks.add(() -> {
                start.await();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int emptyReadsAfterProducers = 0;
                for (int round = 0; round < 200_000 && acked.get() < total && System.nanoTime() < deadline
                        && !Thread.currentThread().isInterrupted(); round++) {
                    Map<QueueName, String> ready = join(client.registry().readyQueues());
                    if (ready.isEmpty()) {
                        // every push has registered its queue before it returned: an empty registry now means
                        // nothing is left, or a queue was hidden (then stop early and let the checks say so)
                        if (producersDone.get() == producers && ++emptyReadsAfterProducers > 200) {
                            break;
                        }
                        LockSupport.parkNanos(500_000);
                        continue;
                    }
                    for (Map.Entry<QueueName, String> entry : ready.entrySet()) {
                        ClaimBatch batch = claim(client, entry.getKey(), 1 + ThreadLocalRandom.current().nextInt(3));
                        join(client.consumer().ack(entry.getKey(), batch.jobs().stream().map(ClaimedJob::ref).toList()));
                        acked.addAndGet(batch.jobs().size());
                        if (batch.remaining() == 0 && join(client.registry().removeIfUnchanged(entry.getKey(), entry.getValue()))) {
                            removals.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }

        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            tasks.forEach(t -> futures.add(pool.submit(t)));
            start.countDown();
            for (Future<Void> f : futures) {
                f.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        JobRunnerClient check = redis.client();
        assertThat(check.inspector().counts(queues)).as("every job was found through the registry and acked")
                .allSatisfy(c -> assertThat(c.total()).isZero());
        assertThat(acked.get()).isEqualTo(total);
        assertThat(removals.get()).as("queues did drain and get removed along the way").isPositive();
    }
}
