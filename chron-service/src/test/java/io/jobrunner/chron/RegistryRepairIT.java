package io.jobrunner.chron;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.MetricRegistryListener;
import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RootJob;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Registry repair: each kind of drift between jr:queues / jr:ready / jr:due and the queues' contents. */
@ExtendWith(RedisExtension.class)
class RegistryRepairIT {

    private final TestClock clock = new TestClock(Instant.now()); // the real time now: stored times look ordinary
    private final MetricRegistry metrics = new MetricRegistry();
    private JobRunnerClient client;
    private RegistryRepair repair;
    private String known;
    private String ready;
    private String due;

    @BeforeEach
    void setUp(TestRedis redis) {
        client = redis.client(clock);
        repair = new RegistryRepair(client, TestConfigs.settings("page-size = 3"), new ChronMetrics(metrics));
        known = client.keys().queues();
        ready = client.keys().readyRegistry();
        due = client.keys().due();
    }

    @Test
    void aQueueWithReadyJobsMissingFromTheReadyRegistryIsAddedBack() {
        QueueName queue = new QueueName("wiki", "refreshLinks");
        client.producer().push(Job.of("refreshLinks").inDomain("wiki"));
        client.redis().hdel(ready, queue.toString()); // a producer died before its follow-up

        Map<String, Long> counts = repair.run(() -> true);

        assertThat(counts).containsEntry(RegistryRepair.READY_ADDED, 1L).containsEntry("repaired", 1L);
        assertThat(client.redis().hget(ready, queue.toString())).isNotNull();
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_queues_repaired", "type", "refreshLinks")).getCount()).isEqualTo(1);
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_repairs", "kind", "ready-added")).getCount()).isEqualTo(1);
        assertThat(repair.run(() -> true)).as("idempotent").doesNotContainKey("repaired");
    }

    @Test
    void anEmptyQueueLeftInTheReadyRegistryIsRemoved() {
        QueueName queue = new QueueName("wiki", "parse");
        client.producer().push(Job.of("parse").inDomain("wiki"));
        ClaimBatch batch = client.consumer().claim(queue, 1, Duration.ofMinutes(1)).join();
        assertThat(client.redis().hget(ready, queue.toString())).as("a runner would remove it; this one died").isNotNull();

        Map<String, Long> counts = repair.run(() -> true);

        assertThat(counts).containsEntry(RegistryRepair.READY_REMOVED, 1L);
        assertThat(client.redis().hget(ready, queue.toString())).isNull();
        assertThat(client.redis().sismember(known, queue.toString())).as("it still holds a claimed job").isTrue();
        assertThat(batch.jobs()).hasSize(1);
    }

    @Test
    void aReadyEntryWhoseQueueIsUnknownIsResolvedBothWays() {
        QueueName withJobs = new QueueName("a", "mail");
        QueueName empty = new QueueName("b", "mail");
        client.producer().push(Job.of("mail").inDomain("a"));
        client.redis().srem(known, withJobs.toString());
        client.redis().hset(ready, empty.toString(), "stale-stamp");

        Map<String, Long> counts = repair.run(() -> true);

        assertThat(counts).containsEntry(RegistryRepair.KNOWN_ADDED, 1L).containsEntry(RegistryRepair.READY_REMOVED, 1L);
        assertThat(client.redis().sismember(known, withJobs.toString())).isTrue();
        assertThat(client.redis().hget(ready, withJobs.toString())).isNotNull();
        assertThat(client.redis().hget(ready, empty.toString())).isNull();
    }

    @Test
    void claimedOrDelayedJobsMissingFromTheDueIndexAreAddedWithTheirEarliestTime() {
        QueueName claimedQueue = new QueueName("default", "render");
        QueueName delayedQueue = new QueueName("default", "digest");
        client.producer().push(Job.of("render"));
        ClaimBatch batch = client.consumer().claim(claimedQueue, 1, Duration.ofSeconds(30)).join();
        long releaseAt = clock.millis() + 60_000;
        client.producer().push(List.of(Job.of("digest").releaseAt(java.time.Instant.ofEpochMilli(releaseAt)),
                Job.of("digest").releaseAt(java.time.Instant.ofEpochMilli(releaseAt + 5_000))));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.redis().zcard(due) == 2);
        Double delayedDue = client.redis().zscore(due, delayedQueue.toString()); // the earliest release, by Redis's clock
        client.redis().del(due); // lost follow-ups
        client.redis().zadd(due, releaseAt + 999_999, delayedQueue.toString()); // and one that is too late

        Map<String, Long> counts = repair.run(() -> true);

        assertThat(counts).containsEntry(RegistryRepair.DUE_ADDED, 2L);
        assertThat(client.redis().zscore(due, claimedQueue.toString())).isEqualTo((double) batch.deadline());
        assertThat(client.redis().zscore(due, delayedQueue.toString())).isEqualTo(delayedDue);
        assertThat(repair.run(() -> true)).doesNotContainKey(RegistryRepair.DUE_ADDED);
    }

    @Test
    void emptyQueuesLeaveTheKnownSetButNotThoseWithAbandonedJobsOrRootEntries() {
        QueueName empty = new QueueName("default", "done");
        QueueName abandonedOnly = new QueueName("default", "broken");
        QueueName rootsOnly = new QueueName("default", "htmlCacheUpdate");
        client.producer().push(List.of(Job.of("done"), Job.of("broken"),
                Job.of("htmlCacheUpdate").withRoot(new RootJob("page-1", clock.millis()))));
        ClaimedJob done = client.consumer().claim(empty, 1, Duration.ofMinutes(1)).join().jobs().get(0);
        client.consumer().ack(empty, List.of(done.ref())).join();
        ClaimedJob broken = client.consumer().claim(abandonedOnly, 1, Duration.ofMinutes(1)).join().jobs().get(0);
        client.consumer().abandon(abandonedOnly, broken.ref(), "bad input").join();
        ClaimedJob rooted = client.consumer().claim(rootsOnly, 1, Duration.ofMinutes(1)).join().jobs().get(0);
        client.consumer().ack(rootsOnly, List.of(rooted.ref())).join();
        client.redis().sadd(known, "never/used");

        Map<String, Long> counts = repair.run(() -> true);

        assertThat(counts).containsEntry(RegistryRepair.KNOWN_REMOVED, 2L);
        assertThat(client.redis().smembers(known)).containsExactlyInAnyOrder(abandonedOnly.toString(), rootsOnly.toString());
        assertThat(client.redis().hgetall(ready)).as("stale ready entries of the emptied queues are gone too").isEmpty();
    }

    @Test
    void aPushBetweenThePageReadAndItsForgetKeepsTheQueueKnown() {
        QueueName raced = new QueueName("race", "late");
        QueueName emptyA = new QueueName("a", "late");
        QueueName emptyB = new QueueName("b", "late");
        client.redis().sadd(known, raced.toString(), emptyA.toString(), emptyB.toString()); // one page (page-size = 3)
        client.redis().hset(ready, raced.toString(), "stale-stamp");
        long releaseAt = clock.millis() + 60_000;
        // The moment: the stale ready entry's removal is repaired (its meter is created) after the page was read
        // and before the page's empty queues are forgotten. A delayed push then: its follow-up SADD is a no-op (the
        // queue is still known) and it writes no ready entry, so only the re-check after the SREM keeps it known.
        metrics.addListener(new MetricRegistryListener.Base() {
            @Override
            public void onMeterAdded(String name, Meter meter) {
                if (name.equals(MetricName.of("jobrunner_chron_repairs", "kind", RegistryRepair.READY_REMOVED))) {
                    client.producer().push(Job.of("late").inDomain("race").releaseAt(Instant.ofEpochMilli(releaseAt)));
                }
            }
        });

        Map<String, Long> counts = repair.run(() -> true);

        assertThat(counts).containsEntry(RegistryRepair.READY_REMOVED, 1L).containsEntry(RegistryRepair.KNOWN_REMOVED, 2L)
                .doesNotContainKey(RegistryRepair.KNOWN_ADDED);
        assertThat(client.redis().smembers(known)).containsExactly(raced.toString());
        assertThat(client.inspector().counts(raced).delayed()).isEqualTo(1);
        assertThat(client.redis().zscore(due, raced.toString())).as("its release time, by Redis's clock")
                .isEqualTo(client.redis().zrangeWithScores(client.keys().queue(raced).delayed(), 0, 0).get(0).getScore());
        assertThat(repair.run(() -> true)).as("and it stays: it holds a job").doesNotContainKey(RegistryRepair.KNOWN_REMOVED);
        assertThat(client.redis().sismember(known, raced.toString())).isTrue();
    }

    @Test
    void aPassOverManyQueuesWalksEveryPage() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(Job.of("bulk").inDomain("d" + i));
        }
        client.producer().push(jobs);
        client.redis().del(ready);

        Map<String, Long> counts = repair.run(() -> true); // page-size = 3

        assertThat(counts).containsEntry(RegistryRepair.READY_ADDED, 10L).containsEntry("queues", 10L);
        assertThat(client.redis().hlen(ready)).isEqualTo(10);
    }

    @Test
    void noQueueWithJobsIsLostWhileRepairRacesPushes() {
        List<QueueName> queues = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queues.add(new QueueName("race" + i, "flip"));
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int round = 0; round < 40; round++) { // each queue flips between empty and not
                    for (QueueName q : queues) {
                        client.producer().push(Job.of("flip").inDomain(q.domain()));
                    }
                    for (QueueName q : queues) {
                        ClaimBatch b = client.consumer().claim(q, 10, Duration.ofMinutes(1)).join();
                        client.consumer().ack(q, b.jobs().stream().map(ClaimedJob::ref).toList()).join();
                    }
                }
                for (QueueName q : queues) {
                    client.producer().push(Job.of("flip").inDomain(q.domain()));
                }
            } finally {
                producing.set(false);
            }
        });
        int passes = 0;
        while (producing.get() && passes < 10_000) {
            repair.run(() -> true);
            passes++;
        }
        producer.join();

        for (QueueName q : queues) {
            assertThat(client.inspector().counts(q).ready()).isEqualTo(1);
            assertThat(client.redis().sismember(known, q.toString())).as(q + " known after " + passes + " racing passes").isTrue();
            assertThat(client.redis().hget(ready, q.toString())).as(q + " ready").isNotNull();
        }
    }
}
