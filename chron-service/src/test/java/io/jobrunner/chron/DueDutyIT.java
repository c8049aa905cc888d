package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.WakeUp;
import io.jobrunner.testing.QueueProbe;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestRedis;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The claim recycler and delayed promoter, driven by the due index; time passes by ageing the stored times. */
@ExtendWith(RedisExtension.class)
class DueDutyIT {

    private static final Duration TTL = Duration.ofSeconds(30);

    private final TestClock clock = new TestClock(Instant.now()); // the real time now: stored times look ordinary
    private final MetricRegistry metrics = new MetricRegistry();
    private JobRunnerClient client;
    private DueDuty duty;

    @BeforeEach
    void setUp(TestRedis redis) {
        client = redis.client(clock);
        duty = new DueDuty(client, TestConfigs.limits("attempts { \"*\" = 3, fragile = 1 }").attempts(),
                TestConfigs.settings("due-batch = 2"), new ChronMetrics(metrics));
    }

    @Test
    void expiredClaimsGoBackToTheClaimEndAndTheAttemptIsNotCountedTwice() {
        QueueName queue = new QueueName("wiki1", "refreshLinks");
        Job first = Job.of("refreshLinks").inDomain("wiki1");
        Job second = Job.of("refreshLinks").inDomain("wiki1");
        client.producer().push(List.of(first, second));
        ClaimBatch claimed = claim(queue, 1);
        assertThat(claimed.jobs()).extracting(c -> c.ref().id()).containsExactly(first.id());
        assertThat(claimed.jobs().get(0).attempts()).isEqualTo(1);
        awaitDueEntry(queue);

        assertThat(duty.run(() -> true)).doesNotContainKey("recycled"); // the claim has not expired
        assertThat(client.inspector().counts(queue).claimed()).isEqualTo(1);

        QueueProbe.ageAll(client, TTL.plusMillis(1));
        Map<String, Long> counts = duty.run(() -> true);
        assertThat(counts).containsEntry("recycled", 1L).containsEntry("queues", 1L);
        assertThat(client.inspector().counts(queue).claimed()).isZero();
        assertThat(client.inspector().counts(queue).ready()).isEqualTo(2);
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_jobs_recycled", "type", "refreshLinks")).getCount()).isEqualTo(1);
        assertThat(client.redis().zscore(client.keys().due(), queue.toString())).as("nothing left due").isNull();

        ClaimedJob again = claim(queue, 1).jobs().get(0);
        assertThat(again.ref().id()).as("recycled to the claim end: it runs before the job pushed after it").isEqualTo(first.id());
        assertThat(again.attempts()).as("counted once per claim, not again by the recycle").isEqualTo(2);

        assertThat(duty.run(() -> true)).as("idempotent: nothing more is due").doesNotContainKey("recycled");
    }

    @Test
    void claimsOutOfAttemptsAreAbandonedWithAReason() {
        QueueName fragile = new QueueName("default", "fragile");
        QueueName sturdy = new QueueName("default", "sturdy");
        client.producer().push(List.of(Job.of("fragile"), Job.of("sturdy")));
        claim(fragile, 1);
        claim(sturdy, 1);
        awaitDueEntry(fragile);
        awaitDueEntry(sturdy);
        QueueProbe.ageAll(client, TTL.plusSeconds(1));

        Map<String, Long> counts = duty.run(() -> true);

        assertThat(counts).containsEntry("abandoned", 1L).containsEntry("recycled", 1L);
        List<JobInfo> abandoned = client.inspector().list(fragile, JobState.ABANDONED, 10);
        assertThat(abandoned).hasSize(1);
        assertThat(abandoned.get(0).lastError()).contains("claim expired").contains("out of attempts");
        assertThat(client.inspector().counts(sturdy).ready()).as("limits.attempts is per type").isEqualTo(1);
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_jobs_abandoned", "type", "fragile")).getCount()).isEqualTo(1);
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_jobs_recycled", "type", "sturdy")).getCount()).isEqualTo(1);
    }

    @Test
    void delayedJobsArePromotedWhenTheirTimeComesAndRunnersAreWoken() {
        QueueName queue = new QueueName("default", "sendMail");
        List<WakeUp> wakeUps = subscribeToWakeUps();
        client.producer().push(Job.of("sendMail").releaseAt(clock.instant().plusSeconds(10)));
        awaitDueEntry(queue);

        assertThat(duty.run(() -> true)).doesNotContainKey("promoted");
        assertThat(client.inspector().counts(queue).delayed()).isEqualTo(1);

        QueueProbe.ageAll(client, Duration.ofSeconds(10));
        assertThat(duty.run(() -> true)).containsEntry("promoted", 1L);
        assertThat(client.inspector().counts(queue).ready()).isEqualTo(1);
        assertThat(client.registry().readyQueues().join()).containsKey(queue);
        await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.stream().anyMatch(w -> w.queue().equals(queue)));
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_jobs_promoted", "type", "sendMail")).getCount()).isEqualTo(1);
    }

    @Test
    void oneTickWorksEveryDueQueueEvenBeyondOneRead() {
        for (int i = 0; i < 5; i++) {
            client.producer().push(Job.of("digest").inDomain("site" + i).releaseAt(clock.instant().plusSeconds(1)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> client.redis().zcard(client.keys().due()) == 5);
        QueueProbe.ageAll(client, Duration.ofSeconds(1));

        Map<String, Long> counts = duty.run(() -> true); // due-batch = 2: three reads

        assertThat(counts).containsEntry("promoted", 5L).containsEntry("queues", 5L);
        assertThat(client.redis().zcard(client.keys().due())).isZero();
    }

    @Test
    void aCatchUpOverTwoThousandDueQueuesWorksEachOnceAndLeavesOnlyWhatIsStillDue() {
        int queues = 2000; // four kinds, 500 each, all due together
        DueDuty wide = new DueDuty(client, TestConfigs.limits().attempts(), TestConfigs.settings("due-batch = 500"),
                new ChronMetrics(metrics));
        List<QueueName> all = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            QueueName q = new QueueName("site" + i, "catchUp");
            all.add(q);
            jobs.add(Job.of("catchUp").inDomain(q.domain()));
            if (i % 4 == 2) { // a delayed job that falls due before the claim deadline
                jobs.add(Job.of("catchUp").inDomain(q.domain()).releaseAt(clock.instant().plusSeconds(10)));
            }
            if (i % 4 == 3) { // a second job, claimed later for longer: still due after the catch-up
                jobs.add(Job.of("catchUp").inDomain(q.domain()));
            }
        }
        client.producer().push(jobs);
        Map<QueueName, Long> laterDeadline = new HashMap<>();
        for (int i = 0; i < queues; i++) {
            QueueName q = all.get(i);
            ClaimBatch first = claim(q, 1);
            if (i % 4 != 1) { // kind 1 keeps its claim: its runner died
                client.consumer().ack(q, List.of(first.jobs().get(0).ref())).join();
            }
            if (i % 4 == 3) {
                laterDeadline.put(q, client.consumer().claim(q, 1, TTL.multipliedBy(10)).join().deadline());
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> client.redis().zcard(client.keys().due()) == queues);
        client.redis().del(client.keys().readyRegistry()); // runners take queues they find empty out of it
        QueueProbe.ageAll(client, TTL.plusMillis(1));

        Map<String, Long> counts = wide.run(() -> true); // four full reads and a short one

        assertThat(counts).containsEntry("queues", (long) queues).containsEntry("recycled", 500L).containsEntry("promoted", 500L)
                .doesNotContainKey("abandoned");
        assertThat(metrics.histogram("jobrunner_chron_due_queues_per_tick").getSnapshot().getMax()).isEqualTo(queues);
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_duty_errors", "duty", "due")).getCount()).isZero();
        for (int i = 0; i < queues; i++) {
            QueueName q = all.get(i);
            QueueCounts c = client.inspector().counts(q);
            Double dueAt = client.redis().zscore(client.keys().due(), q.toString());
            switch (i % 4) {
                case 0 -> assertThat(c.total()).as(q + ": drained").isZero();
                case 1 -> assertThat(c.ready()).as(q + ": recycled").isEqualTo(1);
                case 2 -> assertThat(c.ready()).as(q + ": promoted").isEqualTo(1);
                default -> assertThat(c.claimed()).as(q + ": still claimed").isEqualTo(1);
            }
            if (i % 4 == 3) {
                assertThat(dueAt).as(q + ": back at its next deadline (aged like the rest)")
                        .isEqualTo(laterDeadline.get(q).doubleValue() - TTL.plusMillis(1).toMillis());
            } else {
                assertThat(dueAt).as(q + ": nothing claimed or delayed, out of the index").isNull();
            }
        }
        assertThat(client.registry().readyQueues().join()).as("recycled and promoted queues are ready again").hasSize(queues / 2);
        assertThat(wide.run(() -> true)).as("nothing more is due").containsEntry("queues", 0L);
    }

    @Test
    void aQueueWhoseWorkFailsIsPutBackAndTheRestOfItsReadIsWorked() {
        QueueName broken = new QueueName("site0", "digest");
        for (int i = 0; i < 3; i++) {
            client.producer().push(Job.of("digest").inDomain("site" + i).releaseAt(clock.instant().plusSeconds(1)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> client.redis().zcard(client.keys().due()) == 3);
        String claimedKey = client.keys().queue(broken).claimed();
        client.redis().set(claimedKey, "not a sorted set"); // the recycle script fails on this queue
        QueueProbe.ageAll(client, Duration.ofSeconds(1));
        long before = serverTime();

        Map<String, Long> counts = duty.run(() -> true); // due-batch = 2: the broken queue and another in one read

        assertThat(counts).containsEntry("promoted", 2L).containsEntry("queues", 3L);
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_duty_errors", "duty", "due")).getCount()).isEqualTo(1);
        assertThat(client.redis().zcard(client.keys().queue(broken).delayed())).as("not promoted").isEqualTo(1);
        assertThat(client.redis().zscore(client.keys().due(), broken.toString()))
                .as("put back one interval later, by Redis's clock").isBetween(before + 1000.0, serverTime() + 1000.0);

        client.redis().del(claimedKey);
        QueueProbe.ageAll(client, Duration.ofSeconds(1));
        assertThat(duty.run(() -> true)).containsEntry("promoted", 1L).containsEntry("queues", 1L);
        assertThat(client.redis().zcard(client.keys().due())).isZero();
    }

    @Test
    void aTickStopsAsSoonAsLeadershipEnds() {
        client.producer().push(Job.of("digest").releaseAt(clock.instant().plusSeconds(1)));
        awaitDueEntry(new QueueName("default", "digest"));
        QueueProbe.ageAll(client, Duration.ofSeconds(1));

        assertThat(duty.run(() -> false)).doesNotContainKey("promoted");
        assertThat(client.redis().zcard(client.keys().due())).as("left for the next leader").isEqualTo(1);
    }

    @Test
    void theNextTickComesWhenTheIndexSaysSomethingFallsDue() {
        ChronSettings settings = TestConfigs.settings("interval = 2s");
        DueDuty slow = new DueDuty(client, TestConfigs.limits().attempts(), settings, new ChronMetrics(metrics));
        assertThat(slow.nextDelay()).as("nothing due: the interval, jittered shorter")
                .isBetween(Duration.ofMillis(1800), Duration.ofSeconds(2));

        client.producer().push(Job.of("digest").releaseAt(clock.instant().plusMillis(300)));
        awaitDueEntry(new QueueName("default", "digest"));
        assertThat(slow.nextDelay()).as("until the release time, by Redis's clock").isBetween(Duration.ofMillis(5), Duration.ofMillis(300));

        QueueProbe.ageAll(client, Duration.ofSeconds(1));
        assertThat(slow.nextDelay()).as("overdue: at once").isEqualTo(Duration.ofMillis(5));
    }

    private long serverTime() {
        return client.registry().serverTime().join();
    }

    private ClaimBatch claim(QueueName queue, int max) {
        return client.consumer().claim(queue, max, TTL).join();
    }

    private void awaitDueEntry(QueueName queue) {
        await().atMost(Duration.ofSeconds(5)).until(() -> client.redis().zscore(client.keys().due(), queue.toString()) != null);
    }

    private List<WakeUp> subscribeToWakeUps() {
        List<WakeUp> received = new CopyOnWriteArrayList<>();
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received.add(WakeUp.parse(message));
            }
        });
        pubSub.sync().subscribe(client.keys().wakeChannel());
        return received;
    }
}
