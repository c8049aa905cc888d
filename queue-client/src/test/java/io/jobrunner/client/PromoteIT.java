package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import io.jobrunner.testing.WakeUpRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.ids;
import static io.jobrunner.client.TestSupport.join;
import static io.jobrunner.client.TestSupport.scripts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** promote.lua through {@link QueueMaintenance#promote}: delayed jobs become claimable at their release time. */
@ExtendWith(RedisExtension.class)
class PromoteIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("promote");

    @Test
    void aDelayedJobIsNotClaimableBeforeItsReleaseTimeAndIsAfterPromote(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job job = TestJobs.job(queue).delayed(clock, Duration.ofMinutes(10)).build();
        client.producer().push(job);

        assertThat(claim(client, queue, 10).jobs()).isEmpty();
        QueueProbe.of(client, queue).age(Duration.ofMinutes(10).minusSeconds(5)); // Redis's clock: stored times age
        assertThat(join(client.maintenance().promote(queue)).promoted()).isZero();
        assertThat(claim(client, queue, 10).jobs()).isEmpty();

        QueueProbe.of(client, queue).age(Duration.ofSeconds(5));
        PromoteResult result = join(client.maintenance().promote(queue));
        assertThat(result.promoted()).isEqualTo(1);
        assertThat(result.more()).isFalse();
        assertThat(result.nextDue()).isEqualTo(-1);
        ClaimBatch batch = claim(client, queue, 10);
        assertThat(batch.jobs()).extracting(ClaimedJob::job).containsExactly(job);
    }

    @Test
    void dueJobsMoveEarliestFirstBehindTheReadyOnes(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job late = TestJobs.job(queue).delayed(clock, Duration.ofSeconds(3)).build();
        Job early = TestJobs.job(queue).delayed(clock, Duration.ofSeconds(1)).build();
        Job notYet = TestJobs.job(queue).delayed(clock, Duration.ofSeconds(60)).build();
        Job ready = TestJobs.job(queue).build();
        client.producer().push(List.of(late, early, notYet, ready));
        long notYetAt = QueueProbe.of(client, queue).score(JobState.DELAYED, notYet.id());
        QueueProbe.of(client, queue).age(Duration.ofSeconds(5));

        PromoteResult result = join(client.maintenance().promote(queue));

        assertThat(result.promoted()).isEqualTo(2);
        assertThat(result.readyWasEmpty()).isFalse();
        assertThat(result.nextDue()).isEqualTo(notYetAt - 5_000);
        assertThat(QueueProbe.of(client, queue).readyInClaimOrder()).containsExactly(ready.id(), early.id(), late.id());
        assertThat(QueueProbe.of(client, queue).stateOf(notYet.id())).isEqualTo(JobState.DELAYED);
    }

    @Test
    void eachCallIsBoundedByTheBatchSize(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withBatchSize(2), clock);
        client.producer().push(TestJobs.job(queue).delayed(clock, Duration.ofSeconds(1)).build(5));
        QueueProbe.of(client, queue).age(Duration.ofSeconds(1));

        List<PromoteResult> results = List.of(join(client.maintenance().promote(queue)),
                join(client.maintenance().promote(queue)), join(client.maintenance().promote(queue)));
        assertThat(results).extracting(PromoteResult::promoted).containsExactly(2, 2, 1);
        assertThat(results).extracting(PromoteResult::more).containsExactly(true, true, false);
    }

    @Test
    void promotingIntoAnEmptyQueueRegistersItAndWakesRunners(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        try (WakeUpRecorder wakeUps = WakeUpRecorder.subscribe(client)) {
            client.producer().push(TestJobs.job(queue).delayed(clock, Duration.ofSeconds(1)).build());
            assertThat(join(client.registry().readyQueues())).doesNotContainKey(queue);
            QueueProbe.of(client, queue).age(Duration.ofSeconds(1));

            assertThat(join(client.maintenance().promote(queue)).readyWasEmpty()).isTrue();

            String stamp = join(client.registry().readyQueues()).get(queue);
            assertThat(stamp).isNotNull();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(wakeUps.messages()).containsExactly(new WakeUp(queue, stamp).encode()));
        }
    }

    @Test
    void nextDueIncludesClaimDeadlines(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimBatch batch = join(client.consumer().claim(queue, 1, TTL));
        client.producer().push(TestJobs.job(queue).delayed(clock, TTL.multipliedBy(2)).build());
        assertThat(join(client.maintenance().promote(queue)).nextDue()).isEqualTo(batch.deadline());
        assertThat(ids(batch)).hasSize(1);
    }

    @Test
    void aLimitOutside1To1000IsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertBadArgs("promote", () -> join(scripts(client).promote(queue, 0)));
        assertBadArgs("promote", () -> join(scripts(client).promote(queue, 1001)));
    }
}
