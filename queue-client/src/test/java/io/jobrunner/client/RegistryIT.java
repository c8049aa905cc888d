package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import io.jobrunner.testing.WakeUpRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link QueueRegistry}: the ready registry with its stamps and wake-ups, the due index, the known queues. */
@ExtendWith(RedisExtension.class)
class RegistryIT {

    private final QueueName queue = new QueueName("wiki1", "htmlCacheUpdate");

    @Test
    void markReadyWritesAFreshStampAndPublishesAWakeUp(TestRedis redis) {
        JobRunnerClient client = redis.client();
        try (WakeUpRecorder wakeUps = WakeUpRecorder.subscribe(client)) {
            join(client.registry().markReady(queue));
            String first = join(client.registry().readyQueues()).get(queue);
            join(client.registry().markReady(queue));
            String second = join(client.registry().readyQueues()).get(queue);

            assertThat(first).isNotBlank().isNotEqualTo(second);
            assertThat(client.registry().allKnownQueues()).as("known from the push, not from here").isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.messages().size() == 2);
            assertThat(wakeUps.messages()).containsExactly("wiki1/htmlCacheUpdate " + first, "wiki1/htmlCacheUpdate " + second);
            assertThat(wakeUps.channels()).containsOnly(redis.prefix() + ":wake");
            assertThat(WakeUp.parse(wakeUps.messages().get(1))).isEqualTo(new WakeUp(queue, second));
        }
    }

    /** The push script publishes a hint (no stamp) whatever the topology; the stamp is in the registry by then. */
    @Test
    void aPushIntoAnEmptyQueueRegistersTheQueueAndPublishesAHintFromTheScript(TestRedis redis) {
        JobRunnerClient client = redis.client();
        try (WakeUpRecorder wakeUps = WakeUpRecorder.subscribe(client)) {
            client.producer().push(TestJobs.job(queue).build());
            client.producer().push(TestJobs.job(queue).build()); // the queue had a ready job: no wake-up

            Map<QueueName, String> ready = join(client.registry().readyQueues());
            assertThat(ready).as("a stamp was written").containsOnlyKeys(queue);
            assertThat(client.registry().allKnownQueues()).containsExactly(queue);
            await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.messages().size() >= 1);
            assertThat(wakeUps.messages()).containsExactly("wiki1/htmlCacheUpdate");
            assertThat(WakeUp.parse(wakeUps.messages().get(0)).stamp()).as("a hint: no stamp to compare-and-delete with").isNull();
        }
    }

    @Test
    void removeIfUnchangedIsACompareAndDelete(TestRedis redis) {
        JobRunnerClient client = redis.client();
        join(client.registry().markReady(queue));
        String stamp = join(client.registry().readyQueues()).get(queue);

        assertThat(join(client.registry().removeIfUnchanged(queue, "an-old-stamp"))).isFalse();
        assertThat(join(client.registry().readyQueues())).containsEntry(queue, stamp);
        assertThat(join(client.registry().removeIfUnchanged(queue, stamp))).isTrue();
        assertThat(join(client.registry().readyQueues())).doesNotContainKey(queue);
        assertThat(join(client.registry().removeIfUnchanged(queue, stamp))).as("already gone").isFalse();
    }

    @Test
    void lowerDueOnlyEverLowers(TestRedis redis) {
        JobRunnerClient client = redis.client();
        join(client.registry().lowerDue(queue, 2000));
        assertThat(dueScore(client)).isEqualTo(2000);
        join(client.registry().lowerDue(queue, 3000));
        assertThat(dueScore(client)).isEqualTo(2000);
        join(client.registry().lowerDue(queue, 1000));
        assertThat(dueScore(client)).isEqualTo(1000);

        join(client.registry().clearDue(queue));
        assertThat(client.redis().zscore(client.keys().due(), queue.toString())).isNull();
    }

    @Test
    void dueQueuesAreThoseDueByRedisTimeEarliestFirstUpToTheLimit(TestRedis redis) {
        JobRunnerClient client = redis.client();
        QueueName a = TestJobs.queue("a");
        QueueName b = TestJobs.queue("b");
        QueueName c = TestJobs.queue("c");
        QueueName later = TestJobs.queue("later");
        long now = join(client.registry().serverTime());
        join(client.registry().lowerDue(b, now - 200));
        join(client.registry().lowerDue(a, now - 300));
        join(client.registry().lowerDue(c, now - 100));
        join(client.registry().lowerDue(later, now + 3_600_000));

        QueueRegistry.DueQueues due = join(client.registry().dueQueues(10));
        assertThat(due.queues()).containsExactly(a, b, c);
        assertThat(due.now()).isBetween(now, join(client.registry().serverTime()));
        assertThat(join(client.registry().dueQueues(2)).queues()).containsExactly(a, b);
    }


    @Test
    void knownQueuesArePagedToTheEnd(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<QueueName> added = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            QueueName q = new QueueName("domain" + (i % 7), "type" + i);
            join(client.registry().addKnown(q));
            added.add(q);
        }
        List<QueueName> paged = new ArrayList<>();
        String cursor = "0";
        for (int page = 0; page < 1000 && cursor != null; page++) {
            QueueRegistry.KnownQueuesPage p = join(client.registry().knownQueues(cursor, 10));
            paged.addAll(p.queues());
            cursor = p.nextCursor();
        }
        assertThat(cursor).isNull();
        assertThat(paged).containsExactlyInAnyOrderElementsOf(added);
        assertThat(client.registry().allKnownQueues()).containsExactlyInAnyOrderElementsOf(added);

        join(client.registry().removeKnown(added.get(0)));
        assertThat(client.registry().allKnownQueues()).hasSize(299).doesNotContain(added.get(0));
        assertThat(client.inspector().queues()).hasSize(299);
    }

    @Test
    void knownQueuesAreAddedAndRemovedAPageAtATime(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<QueueName> page = List.of(TestJobs.queue("p1"), TestJobs.queue("p2"), TestJobs.queue("p3"));

        join(client.registry().addKnown(page));
        assertThat(client.registry().allKnownQueues()).containsExactlyInAnyOrderElementsOf(page);
        join(client.registry().removeKnown(page.subList(0, 2)));
        assertThat(client.registry().allKnownQueues()).containsExactly(page.get(2));
        join(client.registry().addKnown(List.of()));
        join(client.registry().removeKnown(List.of()));
        assertThat(client.registry().allKnownQueues()).as("an empty list changes nothing").containsExactly(page.get(2));
    }

    @Test
    void unreadableRegistryEntriesAreSkippedAndRemoved(TestRedis redis) {
        JobRunnerClient client = redis.client();
        join(client.registry().markReady(queue));
        join(client.registry().lowerDue(queue, 5));
        join(client.registry().addKnown(queue));
        client.redis().hset(client.keys().readyRegistry(), "no-slash", "s");
        client.redis().sadd(client.keys().queues(), "bad name/x");
        client.redis().zadd(client.keys().due(), 1, "a/b/c");

        assertThat(join(client.registry().readyQueues())).containsOnlyKeys(queue);
        assertThat(client.registry().allKnownQueues()).containsExactly(queue);
        assertThat(join(client.registry().dueQueues(10)).queues()).containsExactly(queue);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> { // removed, not awaited by the reads
            assertThat(client.redis().hkeys(client.keys().readyRegistry())).containsExactly(queue.toString());
            assertThat(client.redis().smembers(client.keys().queues())).containsExactly(queue.toString());
            assertThat(client.redis().zrange(client.keys().due(), 0, -1)).containsExactly(queue.toString());
        });
    }

    @Test
    void wakeUpMessagesParseOrAreIgnored() {
        assertThat(WakeUp.parse("d/t stamp")).isEqualTo(new WakeUp(new QueueName("d", "t"), "stamp"));
        assertThat(WakeUp.parse(new WakeUp(queue, "s1").encode())).isEqualTo(new WakeUp(queue, "s1"));
        assertThat(WakeUp.parse(null)).isNull();
        assertThat(WakeUp.parse("d/t")).as("a hint, published by the push script").isEqualTo(WakeUp.hint(new QueueName("d", "t")));
        assertThat(WakeUp.parse(WakeUp.hint(queue).encode())).isEqualTo(WakeUp.hint(queue));
        assertThat(WakeUp.parse("bad queue stamp")).isNull();
    }

    private long dueScore(JobRunnerClient client) {
        return client.redis().zscore(client.keys().due(), queue.toString()).longValue();
    }
}
