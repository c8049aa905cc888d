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

/** extend.lua, the heartbeat: moves held claims' deadlines; a claim the chron took back is reported lost. */
@ExtendWith(RedisExtension.class)
class ExtendIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("extend");

    @Test
    void extendMovesTheDeadlineSoTheClaimIsNotRecycledAtTheOldOne(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 2));
        ClaimBatch batch = claim(client, queue, 2);
        List<ClaimRef> refs = batch.jobs().stream().map(ClaimedJob::ref).toList();

        QueueProbe probe = QueueProbe.of(client, queue);
        probe.age(TTL.dividedBy(3));
        long before = probe.serverTime();
        assertThat(join(client.consumer().extend(queue, TTL, refs))).isEmpty();
        long after = probe.serverTime();
        for (ClaimRef ref : refs) {
            assertThat(probe.score(JobState.CLAIMED, ref.id())).as("Redis's time plus the TTL")
                    .isBetween(before + TTL.toMillis(), after + TTL.toMillis());
        }

        probe.age(TTL.dividedBy(3).multipliedBy(2).plusSeconds(1)); // past the old deadline only
        assertThat(join(client.maintenance().recycle(queue, 3)).recycled()).isZero();
        assertThat(join(client.consumer().ack(queue, refs)).acked()).isEqualTo(2);
    }

    @Test
    void aClaimTheChronTookBackIsLostAndNotRevived(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 2));
        ClaimedJob lost = TestSupport.claimOne(client, queue);
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));
        join(client.maintenance().recycle(queue, 3));
        ClaimBatch reclaimed = claim(client, queue, 1);
        ClaimedJob held = reclaimed.jobs().get(0);
        assertThat(held.id()).as("the recycled job comes first").isEqualTo(lost.id());
        ClaimedJob other = TestSupport.claimOne(client, queue);

        QueueProbe probe = QueueProbe.of(client, queue);
        long before = probe.serverTime();
        List<String> lostIds = join(client.consumer().extend(queue, TTL, List.of(lost.ref(), other.ref())));

        assertThat(lostIds).containsExactly(lost.id());
        assertThat(probe.score(JobState.CLAIMED, lost.id())).as("the new holder's deadline is untouched")
                .isEqualTo(reclaimed.deadline());
        assertThat(probe.score(JobState.CLAIMED, other.id())).isBetween(before + TTL.toMillis(), probe.serverTime() + TTL.toMillis());
        assertThat(probe.token(lost.id())).isEqualTo(held.ref().token());
    }

    @Test
    void extendingARecycledClaimDoesNotPutItBackInClaimed(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = TestSupport.claimOne(client, queue);
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));
        join(client.maintenance().recycle(queue, 3));

        assertThat(join(client.consumer().extend(queue, TTL, List.of(claimed.ref())))).containsExactly(claimed.id());
        assertThat(QueueProbe.of(client, queue).stateOf(claimed.id())).isEqualTo(JobState.READY);
    }

    @Test
    void anEmptyExtendIsAnsweredWithoutRedisAndALargeOneIsChunked(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertThat(join(client.consumer().extend(queue, TTL, List.of()))).isEmpty();

        client.producer().push(TestJobs.jobs(queue, 1001));
        List<ClaimRef> refs = new ArrayList<>(claim(client, queue, 1000).jobs().stream().map(ClaimedJob::ref).toList());
        refs.add(TestSupport.claimOne(client, queue).ref());
        refs.add(new ClaimRef("gone", "t"));
        QueueProbe probe = QueueProbe.of(client, queue);
        probe.age(Duration.ofSeconds(10));
        long before = probe.serverTime();
        assertThat(join(client.consumer().extend(queue, TTL, refs))).containsExactly("gone");
        assertThat(probe.score(JobState.CLAIMED, refs.get(1000).id())).isBetween(before + TTL.toMillis(), probe.serverTime() + TTL.toMillis());
    }

    @Test
    void noPairsIsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertBadArgs("extend", () -> join(scripts(client).extend(queue, TTL.toMillis(), List.of())));
    }
}
