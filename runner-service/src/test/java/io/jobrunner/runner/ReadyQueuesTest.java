package io.jobrunner.runner;

import io.jobrunner.client.QueueName;
import io.jobrunner.service.RedisErrorLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner's cache of the ready registry: stamps, wake-up hints and forgetting (no Redis: no refresh here). */
class ReadyQueuesTest {

    private final QueueName queue = new QueueName("wiki1", "refreshLinks");
    private final ReadyQueues ready = new ReadyQueues(null, Duration.ofSeconds(1), added -> { }, new RedisErrorLog("test", () -> { }));

    @Test
    void aHintGetsALocalStampOfItsOwnThatIsNeverARegistryStamp() {
        assertThat(ready.offer(queue, null)).isTrue();
        String first = ready.stamp(queue);
        assertThat(ReadyQueues.isHint(first)).isTrue();

        assertThat(ready.offer(queue, null)).as("every hint is news").isTrue();
        assertThat(ready.stamp(queue)).isNotEqualTo(first);
        assertThat(ReadyQueues.isHint("Yh3x0B1mQ2uQ0nUu7P8i5g")).isFalse();
        assertThat(ReadyQueues.isHint(null)).isFalse();
    }

    @Test
    void aHintThatCameAfterTheSlotsPickKeepsTheQueueWhenThatSlotFindsItEmpty() {
        ready.offer(queue, null);
        String picked = ready.stamp(queue);   // a slot picks the queue under the first hint ...
        ready.offer(queue, null);             // ... a push lands after its claim emptied the queue ...
        ready.forget(queue, picked);          // ... and the slot's claim reply says: empty

        assertThat(ready.stamp(queue)).as("the second push is still known").isNotNull();
        ready.forget(queue, ready.stamp(queue));
        assertThat(ready.stamp(queue)).isNull();
    }

    @Test
    void aWakeUpWithAStampReplacesAHintAndTheSameStampTwiceIsNoChange() {
        ready.offer(queue, null);
        assertThat(ready.offer(queue, "s1")).isTrue();
        assertThat(ready.stamp(queue)).isEqualTo("s1");
        assertThat(ready.offer(queue, "s1")).isFalse();
        assertThat(ready.additions()).as("known once, whatever its stamps").isEqualTo(1);
        ready.forget(queue, "an-older-stamp");
        assertThat(ready.stamp(queue)).isEqualTo("s1");
        ready.forget(queue, "s1");
        assertThat(ready.queues()).isEmpty();
    }

    @Test
    void oneClaimAtATimeUnderAHintUntilAClaimFindsABacklog() {
        ready.offer(queue, null);
        String hint = ready.stamp(queue);
        assertThat(ready.startClaim(queue, hint)).isTrue();
        assertThat(ready.startClaim(queue, hint)).as("a claim for this push is on its way").isFalse();

        ready.endClaim(queue, hint, 0);
        assertThat(ready.startClaim(queue, hint)).as("answered: the next may claim").isTrue();
        ready.endClaim(queue, hint, 5);
        assertThat(ready.startClaim(queue, hint)).as("a backlog: claims side by side").isTrue();
        assertThat(ready.startClaim(queue, hint)).isTrue();
        ready.endClaim(queue, hint, 0);

        ready.offer(queue, null); // the queue went empty and a push made it ready again
        String next = ready.stamp(queue);
        assertThat(ready.startClaim(queue, next)).isTrue();
        assertThat(ready.startClaim(queue, next)).isFalse();
    }

    @Test
    void aNewHintMayBeClaimedWhileAClaimUnderTheOldOneIsOnItsWay() {
        ready.offer(queue, null);
        String first = ready.stamp(queue);
        assertThat(ready.startClaim(queue, first)).isTrue();
        ready.offer(queue, null);
        String second = ready.stamp(queue);

        assertThat(ready.startClaim(queue, second)).isTrue();
        ready.endClaim(queue, first, 0); // the old claim's answer does not end the new one's
        assertThat(ready.startClaim(queue, second)).isFalse();
    }

    @Test
    void registryStampsAreNeverHeldBack() {
        ready.offer(queue, "s1");
        assertThat(ready.startClaim(queue, "s1")).isTrue();
        assertThat(ready.startClaim(queue, "s1")).isTrue();
        assertThat(ready.startClaim(queue, null)).isTrue();
    }

    @Test
    void theLatestAdditionsAreRememberedInOrder() {
        QueueName other = new QueueName("wiki2", "refreshLinks");
        ready.offer(queue, "s1");
        ready.offer(other, null);
        ready.offer(queue, "s2"); // already known: not an addition
        assertThat(ready.additions()).isEqualTo(2);
        assertThat(ready.addedAt(1)).isEqualTo(queue);
        assertThat(ready.addedAt(2)).isEqualTo(other);
        assertThat(ready.addedAt(3)).as("not yet").isNull();

        ready.forget(queue, "s2");
        ready.offer(queue, null); // known again
        assertThat(ready.addedAt(3)).isEqualTo(queue);
        for (int i = 0; i < ReadyQueues.ADDITIONS_REMEMBERED; i++) {
            ready.offer(new QueueName("d" + i, "t"), null);
        }
        assertThat(ready.addedAt(3)).as("overwritten: a picker rebuilds instead").isNull();
    }
}
