package io.jobrunner.runner;

import io.jobrunner.client.QueueName;
import io.jobrunner.service.RedisErrorLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Picking among ready queues: fair round robin, queues that come and go, no Redis (no refresh here). */
class QueuePickerTest {

    private final AdditionsLog additions = new AdditionsLog();
    private final HintClaimGate gate = new HintClaimGate();
    private final ReadyQueues ready = new ReadyQueues(null, Duration.ofSeconds(1), additions, gate, added -> { },
            new RedisErrorLog("test", () -> { }));
    private final ConcurrencyLimiter limiter = new ConcurrencyLimiter(Caps.NONE, new Caps(Map.of(), 0), () -> { });
    private final QueuePicker picker = new QueuePicker(new GroupSettings("all", 4, TypePatterns.of(List.of("*")),
            TypePatterns.of(List.of()), TypePatterns.of(List.of()), 0.8), ready, additions, gate, new ClaimBuffer(), limiter, q -> false);

    private QueueName pick() {
        QueuePicker.Pick p = picker.pick(JobClass.HIGH);
        if (p == null) {
            return null;
        }
        limiter.release(p.queue());
        gate.end(p.queue(), p.stamp(), 1);
        return p.queue();
    }

    @Test
    void roundRobinOverDomainsThenOverTheTypesOfEach() {
        QueueName a1 = new QueueName("a", "t1");
        QueueName a2 = new QueueName("a", "t2");
        QueueName b1 = new QueueName("b", "t1");
        for (QueueName q : List.of(a1, a2, b1)) {
            ready.offer(q, "s-" + q.type());
        }
        List<QueueName> picks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picks.add(pick());
        }
        assertThat(picks).containsExactly(a1, b1, a2, b1);
    }

    @Test
    void queuesThatBecomeKnownArePickableAtOnceAndThoseThatLeftAreDropped() {
        QueueName first = new QueueName("a", "t1");
        ready.offer(first, "s1");
        assertThat(pick()).isEqualTo(first);

        ready.forget(first, Stamp.registry("s1"));
        assertThat(pick()).as("left").isNull();
        QueueName next = new QueueName("b", "t1");
        ready.offer(next, null); // a hint: added to the view, not rebuilt
        assertThat(pick()).isEqualTo(next);
        ready.offer(first, null); // back again
        assertThat(List.of(pick(), pick())).containsExactlyInAnyOrder(first, next);
    }

    @Test
    void moreAdditionsThanRememberedRebuildTheView() {
        assertThat(pick()).isNull();
        List<QueueName> all = new ArrayList<>();
        for (int i = 0; i < AdditionsLog.REMEMBERED + 10; i++) {
            QueueName q = new QueueName("d" + i, "t");
            all.add(q);
            ready.offer(q, "s" + i);
        }
        List<QueueName> picked = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            picked.add(pick());
        }
        assertThat(picked).as("each once, none lost").containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void aPartitionedTypeHasOneTurnPerRoundAndItsTurnsGoRoundItsPartitions() {
        QueueName mail = new QueueName("shop", "mail");
        List<QueueName> bulk = List.of(new QueueName("shop", "bulk"), new QueueName("shop", "bulk", 1), new QueueName("shop", "bulk", 2));
        ready.offer(mail, "s-mail");
        bulk.forEach(q -> ready.offer(q, "s-" + q));
        Map<QueueName, Integer> picks = new HashMap<>();
        for (int i = 0; i < 600; i++) { // every queue stays backlogged: nothing is forgotten
            picks.merge(pick(), 1, Integer::sum);
        }
        assertThat(picks.get(mail)).as("the unpartitioned type: half the picks").isEqualTo(300);
        for (QueueName p : bulk) {
            assertThat(picks.get(p)).as("each of the three partitions: a third of the other half").isEqualTo(100);
        }
        // and in order: the types alternate, the partitioned one's turns go 0, 1, 2, 0, ...
        List<QueueName> next = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            next.add(pick());
        }
        assertThat(next).containsExactly(bulk.get(0), mail, bulk.get(1), mail, bulk.get(2), mail);
    }

    @Test
    void aPartitionsTurnSkipsThoseThatLeftAndTakesUpThoseThatCame() {
        QueueName mail = new QueueName("shop", "mail");
        QueueName p0 = new QueueName("shop", "bulk");
        QueueName p1 = new QueueName("shop", "bulk", 1);
        QueueName p2 = new QueueName("shop", "bulk", 2);
        ready.offer(mail, "s-mail");
        ready.offer(p0, "s0");
        ready.offer(p2, "s2");
        assertThat(List.of(pick(), pick(), pick(), pick())).containsExactly(p0, mail, p2, mail);

        ready.forget(p0, Stamp.registry("s0")); // drained: its turn passes to the next ready partition
        assertThat(List.of(pick(), pick(), pick(), pick())).containsExactly(p2, mail, p2, mail);

        ready.offer(p1, null); // a push to partition 1: it joins the type's turns, not the domain's rotation
        ready.offer(p0, null);
        assertThat(List.of(pick(), pick(), pick(), pick(), pick(), pick())).containsExactly(p0, mail, p1, mail, p2, mail);

        ready.forget(p0, ready.stamp(p0));
        ready.forget(p1, ready.stamp(p1));
        ready.forget(p2, Stamp.registry("s2"));
        assertThat(List.of(pick(), pick())).as("a type with no ready partition leaves the rotation").containsExactly(mail, mail);
    }
}
