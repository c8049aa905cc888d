package io.jobrunner.runner;

import io.jobrunner.client.QueueName;
import io.jobrunner.service.RedisErrorLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner's cache of the ready registry: stamps, wake-up hints and forgetting (no Redis: no refresh here). */
class ReadyQueuesTest {

    private final QueueName queue = new QueueName("wiki1", "refreshLinks");
    private final AdditionsLog additions = new AdditionsLog();
    private final HintClaimGate gate = new HintClaimGate();
    private final ReadyQueues ready = new ReadyQueues(null, Duration.ofSeconds(1), additions, gate, added -> { },
            new RedisErrorLog("test", () -> { }));

    @Test
    void aHintGetsALocalStampOfItsOwnThatIsNeverARegistryStamp() {
        assertThat(ready.offer(queue, null)).isTrue();
        Stamp first = ready.stamp(queue);
        assertThat(first.hint()).isTrue();

        assertThat(ready.offer(queue, null)).as("every hint is news").isTrue();
        assertThat(ready.stamp(queue)).isNotEqualTo(first);
        assertThat(Stamp.registry("Yh3x0B1mQ2uQ0nUu7P8i5g").hint()).isFalse();
        assertThat(Stamp.registry(first.value())).isNotEqualTo(first);
    }

    @Test
    void aHintThatCameAfterTheSlotsPickKeepsTheQueueWhenThatSlotFindsItEmpty() {
        ready.offer(queue, null);
        Stamp picked = ready.stamp(queue);   // a slot picks the queue under the first hint ...
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
        assertThat(ready.stamp(queue)).isEqualTo(Stamp.registry("s1"));
        assertThat(ready.offer(queue, "s1")).isFalse();
        assertThat(additions.count()).as("known once, whatever its stamps").isEqualTo(1);
        ready.forget(queue, Stamp.registry("an-older-stamp"));
        assertThat(ready.stamp(queue)).isEqualTo(Stamp.registry("s1"));
        ready.forget(queue, Stamp.registry("s1"));
        assertThat(ready.queues()).isEmpty();
    }

    @Test
    void oneClaimAtATimeUnderAHintUntilAClaimFindsABacklog() {
        ready.offer(queue, null);
        Stamp hint = ready.stamp(queue);
        assertThat(gate.start(queue, hint)).isTrue();
        assertThat(gate.start(queue, hint)).as("a claim for this push is on its way").isFalse();

        gate.end(queue, hint, 0);
        assertThat(gate.start(queue, hint)).as("answered: the next may claim").isTrue();
        gate.end(queue, hint, 5);
        assertThat(gate.start(queue, hint)).as("a backlog: claims side by side").isTrue();
        assertThat(gate.start(queue, hint)).isTrue();
        gate.end(queue, hint, 0);

        ready.offer(queue, null); // the queue went empty and a push made it ready again
        Stamp next = ready.stamp(queue);
        assertThat(gate.start(queue, next)).isTrue();
        assertThat(gate.start(queue, next)).isFalse();
    }

    @Test
    void aNewHintMayBeClaimedWhileAClaimUnderTheOldOneIsOnItsWay() {
        ready.offer(queue, null);
        Stamp first = ready.stamp(queue);
        assertThat(gate.start(queue, first)).isTrue();
        ready.offer(queue, null);
        Stamp second = ready.stamp(queue);

        assertThat(gate.start(queue, second)).isTrue();
        gate.end(queue, first, 0); // the old claim's answer does not end the new one's
        assertThat(gate.start(queue, second)).isFalse();
    }

    @Test
    void registryStampsAreNeverHeldBack() {
        ready.offer(queue, "s1");
        assertThat(gate.start(queue, Stamp.registry("s1"))).isTrue();
        assertThat(gate.start(queue, Stamp.registry("s1"))).isTrue();
        assertThat(gate.start(queue, null)).isTrue();
    }

    @Test
    void theLatestAdditionsAreRememberedInOrder() {
        QueueName other = new QueueName("wiki2", "refreshLinks");
        ready.offer(queue, "s1");
        ready.offer(other, null);
        ready.offer(queue, "s2"); // already known: not an addition
        assertThat(additions.count()).isEqualTo(2);
        assertThat(additions.at(1)).isEqualTo(queue);
        assertThat(additions.at(2)).isEqualTo(other);
        assertThat(additions.at(3)).as("not yet").isNull();

        ready.forget(queue, Stamp.registry("s2"));
        ready.offer(queue, null); // known again
        assertThat(additions.at(3)).isEqualTo(queue);
        for (int i = 0; i < AdditionsLog.REMEMBERED; i++) {
            ready.offer(new QueueName("d" + i, "t"), null);
        }
        assertThat(additions.at(3)).as("overwritten: a picker rebuilds instead").isNull();
    }
}
