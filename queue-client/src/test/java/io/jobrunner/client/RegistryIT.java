package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import io.jobrunner.testing.WakeUpRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
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
    void markReadyWritesAFreshStampKnowsTheQueueAndPublishesAWakeUp(TestRedis redis) {
        JobRunnerClient client = redis.client();
        try (WakeUpRecorder wakeUps = WakeUpRecorder.subscribe(client)) {
            join(client.registry().markReady(queue));
            String first = join(client.registry().readyQueues()).get(queue);
            join(client.registry().markReady(queue));
            String second = join(client.registry().readyQueues()).get(queue);

            assertThat(first).isNotBlank().isNotEqualTo(second);
            assertThat(client.registry().allKnownQueues()).containsExactly(queue);
            await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.messages().size() == 2);
            assertThat(wakeUps.messages()).containsExactly("wiki1/htmlCacheUpdate " + first, "wiki1/htmlCacheUpdate " + second);
            assertThat(wakeUps.channels()).containsOnly(redis.prefix() + ":wake");
            assertThat(WakeUp.parse(wakeUps.messages().get(1))).isEqualTo(new WakeUp(queue, second));
        }
    }

    @Test
    void aPushIntoAnEmptyQueuePublishesAHintFromTheScriptThenRegistersTheQueue(TestRedis redis) {
        JobRunnerClient client = redis.client();
        try (WakeUpRecorder wakeUps = WakeUpRecorder.subscribe(client)) {
            client.producer().push(TestJobs.job(queue).build());
            client.producer().push(TestJobs.job(queue).build()); // the queue had a ready job: no wake-up

            assertThat(join(client.registry().readyQueues())).as("the follow-up wrote a stamp").containsOnlyKeys(queue);
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
        assertThat(client.registry().allKnownQueues()).as("still known: it may hold other jobs").containsExactly(queue);
    }

    @Test
    void lowerDueOnlyEverLowersAndMakesTheQueueKnown(TestRedis redis) {
        JobRunnerClient client = redis.client();
        join(client.registry().lowerDue(queue, 2000));
        assertThat(dueScore(client)).isEqualTo(2000);
        join(client.registry().lowerDue(queue, 3000));
        assertThat(dueScore(client)).isEqualTo(2000);
        join(client.registry().lowerDue(queue, 1000));
        assertThat(dueScore(client)).isEqualTo(1000);
        assertThat(client.registry().allKnownQueues()).containsExactly(queue);

        join(client.registry().clearDue(queue));
        assertThat(client.redis().zscore(client.keys().due(), queue.toString())).isNull();
    }

    @Test
    void dueQueuesAreThoseDueByNowEarliestFirstUpToTheLimit(TestRedis redis) {
        JobRunnerClient client = redis.client();
        QueueName a = TestJobs.queue("a");
        QueueName b = TestJobs.queue("b");
        QueueName c = TestJobs.queue("c");
        join(client.registry().lowerDue(b, 200));
        join(client.registry().lowerDue(a, 100));
        join(client.registry().lowerDue(c, 300));

        assertThat(join(client.registry().dueQueues(99, 10))).isEmpty();
        assertThat(join(client.registry().dueQueues(200, 10))).containsExactly(a, b);
        assertThat(join(client.registry().dueQueues(1000, 2))).containsExactly(a, b);
        assertThat(join(client.registry().dueQueues(1000, 10))).containsExactly(a, b, c);
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
    void unreadableRegistryEntriesAreSkipped(TestRedis redis) {
        JobRunnerClient client = redis.client();
        join(client.registry().markReady(queue));
        join(client.registry().lowerDue(queue, 5));
        client.redis().hset(client.keys().readyRegistry(), "no-slash", "s");
        client.redis().sadd(client.keys().queues(), "bad name/x");
        client.redis().zadd(client.keys().due(), 1, "a/b/c");

        assertThat(join(client.registry().readyQueues())).containsOnlyKeys(queue);
        assertThat(client.registry().allKnownQueues()).containsExactly(queue);
        assertThat(join(client.registry().dueQueues(10, 10))).containsExactly(queue);
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
