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

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static io.jobrunner.client.TestSupport.scripts;
import static org.assertj.core.api.Assertions.assertThat;

/** ack.lua through {@link JobConsumer#ack}: deletes only what the caller still holds; stale tokens are reported. */
@ExtendWith(RedisExtension.class)
class AckIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("ack");

    @Test
    void ackDeletesEveryTraceOfTheJobs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(List.of(TestJobs.job(queue).param("k", 1).deduplicated().root("sig", TestJobs.ROOT_T0 + 5).build(),
                TestJobs.job(queue).build(), TestJobs.job(queue).build()));
        ClaimBatch batch = claim(client, queue, 3);
        List<ClaimRef> refs = batch.jobs().stream().map(ClaimedJob::ref).toList();

        assertThat(join(client.consumer().ack(queue, refs))).isEqualTo(new AckResult(3, List.of()));
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.isEmpty()).isTrue();
        assertThat(probe.roots()).as("root entries outlive their jobs until pruned").containsOnlyKeys("sig");
    }

    @Test
    void anAckWithAStaleTokenAfterRecycleAndReclaimDeletesNothingAndIsReported(TestRedis redis) {
        JobRunnerClient slowRunner = redis.client(clock);
        JobRunnerClient otherRunner = redis.client(clock);
        Job job = TestJobs.job(queue).build();
        slowRunner.producer().push(job);
        ClaimedJob first = TestSupport.claimOne(slowRunner, queue);

        QueueProbe.of(slowRunner, queue).age(TTL.plusMillis(1)); // the slow runner missed its deadline
        assertThat(join(otherRunner.maintenance().recycle(queue, 3)).recycled()).isEqualTo(1);
        ClaimedJob second = TestSupport.claimOne(otherRunner, queue);
        assertThat(second.id()).isEqualTo(job.id());
        assertThat(second.attempts()).isEqualTo(2);

        AckResult stale = join(slowRunner.consumer().ack(queue, List.of(first.ref())));
        assertThat(stale).isEqualTo(new AckResult(0, List.of(job.id())));
        QueueProbe probe = QueueProbe.of(slowRunner, queue);
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.CLAIMED);
        assertThat(probe.token(job.id())).isEqualTo(second.ref().token());
        assertThat(probe.attempts(job.id())).isEqualTo(2);

        assertThat(join(otherRunner.consumer().ack(queue, List.of(second.ref())))).isEqualTo(new AckResult(1, List.of()));
        assertThat(probe.stateOf(job.id())).isNull();
    }

    @Test
    void anAckAfterRecycleBeforeReclaimIsStaleAndLeavesTheJobReady(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job job = TestJobs.job(queue).build();
        client.producer().push(job);
        ClaimedJob claimed = TestSupport.claimOne(client, queue);
        QueueProbe.of(client, queue).age(TTL.plusSeconds(1));
        join(client.maintenance().recycle(queue, 3));

        assertThat(join(client.consumer().ack(queue, List.of(claimed.ref()))).stale()).containsExactly(job.id());
        assertThat(QueueProbe.of(client, queue).stateOf(job.id())).isEqualTo(JobState.READY);
    }

    @Test
    void aBatchWithOneStaleClaimAcksTheRest(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 3));
        ClaimBatch batch = claim(client, queue, 3);
        ClaimedJob requeued = batch.jobs().get(1);
        assertThat(join(client.consumer().requeue(queue, requeued.ref()))).isTrue();

        AckResult result = join(client.consumer().ack(queue, batch.jobs().stream().map(ClaimedJob::ref).toList()));
        assertThat(result).isEqualTo(new AckResult(2, List.of(requeued.id())));
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 1, 0, 0, 0));
    }

    @Test
    void aSecondAckOfTheSameClaimIsStale(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = TestSupport.claimOne(client, queue);
        assertThat(join(client.consumer().ack(queue, List.of(claimed.ref()))).acked()).isEqualTo(1);
        assertThat(join(client.consumer().ack(queue, List.of(claimed.ref())))).isEqualTo(new AckResult(0, List.of(claimed.id())));
    }

    @Test
    void aWrongTokenOrAnUnknownIdIsStale(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = TestSupport.claimOne(client, queue);
        AckResult result = join(client.consumer().ack(queue, List.of(new ClaimRef(claimed.id(), "not-the-token"),
                new ClaimRef("unknown", claimed.ref().token()))));
        assertThat(result).isEqualTo(new AckResult(0, List.of(claimed.id(), "unknown")));
        assertThat(QueueProbe.of(client, queue).stateOf(claimed.id())).isEqualTo(JobState.CLAIMED);
    }

    @Test
    void anEmptyAckIsAnsweredWithoutRedis(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertThat(join(client.consumer().ack(queue, List.of()))).isEqualTo(new AckResult(0, List.of()));
    }

    @Test
    void moreThanAThousandClaimsAreAckedInChunks(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 1201));
        List<ClaimRef> refs = new ArrayList<>();
        refs.addAll(claim(client, queue, 1000).jobs().stream().map(ClaimedJob::ref).toList());
        refs.addAll(claim(client, queue, 1000).jobs().stream().map(ClaimedJob::ref).toList());
        assertThat(refs).hasSize(1201);
        refs.add(new ClaimRef("unknown", "t"));

        assertThat(join(client.consumer().ack(queue, refs))).isEqualTo(new AckResult(1201, List.of("unknown")));
        assertThat(QueueProbe.of(client, queue).isEmpty()).isTrue();
    }

    @Test
    void noPairsOrMoreThanAThousandInOneScriptCallIsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertBadArgs("ack", () -> join(scripts(client).ack(queue, List.of())));
        List<ClaimRef> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(new ClaimRef("id" + i, "t"));
        }
        assertBadArgs("ack", () -> join(scripts(client).ack(queue, tooMany)));
    }

    @Test
    void ackingAJobThatExpiredButWasNotYetRecycledStillWorks(TestRedis redis) {
        // at least once: until the chron takes the claim back, the holder's ack is honoured
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = TestSupport.claimOne(client, queue);
        QueueProbe.of(client, queue).age(Duration.ofHours(1));
        assertThat(join(client.consumer().ack(queue, List.of(claimed.ref()))).acked()).isEqualTo(1);
        assertThat(join(client.maintenance().recycle(queue, 3)).recycled()).isZero();
    }
}
