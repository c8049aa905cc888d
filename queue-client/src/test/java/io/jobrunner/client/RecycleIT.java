package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.claimOne;
import static io.jobrunner.client.TestSupport.ids;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/** recycle.lua through {@link QueueMaintenance#recycle}: expired claims back to ready, or abandoned when out of attempts. */
@ExtendWith(RedisExtension.class)
class RecycleIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("recycle");

    @Test
    void expiredClaimsGoBackToTheClaimEndAndLiveOnesStay(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<Job> jobs = TestJobs.jobs(queue, 4);
        client.producer().push(jobs);
        ClaimedJob expires = claimOne(client, queue);
        QueueProbe.of(client, queue).age(Duration.ofSeconds(30));
        ClaimedJob lives = claimOne(client, queue);
        QueueProbe.of(client, queue).age(Duration.ofSeconds(31)); // first deadline passed, second not

        RecycleResult result = join(client.maintenance().recycle(queue, 3));

        assertThat(result.recycled()).isEqualTo(1);
        assertThat(result.abandoned()).isZero();
        assertThat(result.more()).isFalse();
        assertThat(result.readyWasEmpty()).isFalse();
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.readyInClaimOrder()).containsExactly(expires.id(), jobs.get(2).id(), jobs.get(3).id());
        assertThat(probe.token(expires.id())).isNull();
        assertThat(probe.attempts(expires.id())).as("counted at claim, not again").isEqualTo(1);
        assertThat(probe.stateOf(lives.id())).isEqualTo(JobState.CLAIMED);
        assertThat(result.nextDue()).isEqualTo(probe.score(JobState.CLAIMED, lives.id()));
    }

    @Test
    void aClaimOutOfAttemptsIsAbandonedWithAnError(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job job = TestJobs.job(queue).build();
        client.producer().push(job);
        QueueProbe probe = QueueProbe.of(client, queue);
        long before = probe.serverTime();
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThat(claimOne(client, queue).attempts()).isEqualTo(attempt);
            probe.age(TTL.plusMillis(1));
            RecycleResult r = join(client.maintenance().recycle(queue, 2));
            assertThat(r.recycled()).isEqualTo(attempt == 1 ? 1 : 0);
            assertThat(r.abandoned()).isEqualTo(attempt == 1 ? 0 : 1);
        }

        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.score(JobState.ABANDONED, job.id())).as("abandoned at, by Redis's clock")
                .isBetween(before, probe.serverTime());
        assertThat(probe.lastError(job.id())).contains("claim expired").contains("attempt 2 of 2").contains("out of attempts");
        assertThat(probe.token(job.id())).isNull();
    }

    @Test
    void eachCallIsBoundedByTheBatchSize(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withBatchSize(3), clock);
        client.producer().push(TestJobs.jobs(queue, 7));
        for (int i = 0; i < 3; i++) {
            claim(client, queue, 3);
        }
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));

        RecycleResult first = join(client.maintenance().recycle(queue, 5));
        RecycleResult second = join(client.maintenance().recycle(queue, 5));
        RecycleResult third = join(client.maintenance().recycle(queue, 5));

        assertThat(List.of(first.recycled(), second.recycled(), third.recycled())).containsExactly(3, 3, 1);
        assertThat(List.of(first.more(), second.more(), third.more())).containsExactly(true, true, false);
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 7, 0, 0, 0));
    }

    @Test
    void nextDueIsTheEarliestClaimDeadlineOrReleaseTime(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertThat(join(client.maintenance().recycle(queue, 3)).nextDue()).isEqualTo(-1);

        Job delayed = TestJobs.job(queue).delayed(clock, Duration.ofSeconds(10)).build();
        client.producer().push(delayed);
        QueueProbe probe = QueueProbe.of(client, queue);
        long releaseAt = probe.score(JobState.DELAYED, delayed.id());
        assertThat(join(client.maintenance().recycle(queue, 3)).nextDue()).isEqualTo(releaseAt);

        client.producer().push(TestJobs.job(queue).build());
        ClaimBatch batch = claim(client, queue, 1);
        assertThat(join(client.maintenance().recycle(queue, 3)).nextDue()).isEqualTo(releaseAt);
        probe.age(Duration.ofSeconds(20));
        join(client.maintenance().promote(queue));
        assertThat(join(client.maintenance().recycle(queue, 3)).nextDue())
                .isEqualTo(batch.deadline() - Duration.ofSeconds(20).toMillis());
    }

    @Test
    void recyclingIntoAnEmptyQueueRegistersItAgain(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        String stamp = join(client.registry().readyQueues()).get(queue);
        claimOne(client, queue);
        join(client.registry().removeIfUnchanged(queue, stamp));
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));

        RecycleResult result = join(client.maintenance().recycle(queue, 3));
        assertThat(result.readyWasEmpty()).isTrue();
        assertThat(join(client.registry().readyQueues())).containsKey(queue);
    }

    @Test
    void maxAttemptsBelowOneIsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        claimOne(client, queue);
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));
        TestSupport.assertBadArgs("recycle", () -> join(client.maintenance().recycle(queue, 0)));
        assertThat(client.inspector().counts(queue).claimed()).isEqualTo(1);
    }

    @Test
    void theOldHolderCannotTouchARecycledJob(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        JobRunnerClient chron = redis.client(Clock.offset(clock, Duration.ZERO));
        client.producer().push(TestJobs.jobs(queue, 1));
        ClaimedJob claimed = claimOne(client, queue);
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));
        join(chron.maintenance().recycle(queue, 3));

        assertThat(join(client.consumer().retry(queue, claimed.ref(), Duration.ZERO, "late"))).isFalse();
        assertThat(join(client.consumer().extend(queue, TTL, List.of(claimed.ref())))).containsExactly(claimed.id());
        assertThat(join(client.consumer().ack(queue, List.of(claimed.ref()))).stale()).containsExactly(claimed.id());
        assertThat(ids(claim(client, queue, 5))).containsExactly(claimed.id());
    }
}
