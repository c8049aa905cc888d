package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.ids;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** claim.lua through {@link JobConsumer#claim}: order, attempts, tokens, deadlines, dedup and root supersession. */
@ExtendWith(RedisExtension.class)
class ClaimIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("claim");

    @Test
    void claimsTheOldestJobsUpToMaxWithAttemptTokenAndDeadline(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<Job> jobs = TestJobs.jobs(queue, 5);
        client.producer().push(jobs);

        long before = QueueProbe.of(client, queue).serverTime();
        ClaimBatch batch = claim(client, queue, 3);
        long after = QueueProbe.of(client, queue).serverTime();

        assertThat(batch.queue()).isEqualTo(queue);
        assertThat(ids(batch)).containsExactlyElementsOf(ids(jobs.subList(0, 3)));
        assertThat(batch.jobs()).extracting(ClaimedJob::job).containsExactlyElementsOf(jobs.subList(0, 3));
        assertThat(batch.jobs()).allSatisfy(j -> {
            assertThat(j.attempts()).isEqualTo(1);
            assertThat(j.isMalformed()).isFalse();
            assertThat(j.malformedReason()).isNull();
            assertThat(j.ref().token()).isEqualTo(batch.jobs().get(0).ref().token());
        });
        assertThat(batch.remaining()).isEqualTo(2);
        assertThat(batch.superseded()).isZero();
        assertThat(batch.deadline()).as("Redis's time plus the TTL").isBetween(before + TTL.toMillis(), after + TTL.toMillis());

        QueueProbe probe = QueueProbe.of(client, queue);
        for (ClaimedJob j : batch.jobs()) {
            assertThat(probe.stateOf(j.id())).isEqualTo(JobState.CLAIMED);
            assertThat(probe.score(JobState.CLAIMED, j.id())).isEqualTo(batch.deadline());
            assertThat(probe.token(j.id())).isEqualTo(j.ref().token());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> // the due-index update is not awaited by claim
                assertThat(client.redis().zscore(client.keys().due(), queue.toString())).isEqualTo((double) batch.deadline()));
    }

    @Test
    void everyClaimCallGetsAFreshTokenAndAttemptsCountUp(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 2));
        ClaimedJob first = TestSupport.claimOne(client, queue);
        ClaimedJob second = TestSupport.claimOne(client, queue);
        assertThat(first.ref().token()).isNotEqualTo(second.ref().token());

        assertThat(join(client.consumer().retry(queue, first.ref(), Duration.ZERO, "boom"))).isTrue();
        ClaimedJob again = TestSupport.claimOne(client, queue);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.ref().token()).isNotIn(first.ref().token(), second.ref().token());
    }

    @Test
    void anEmptyQueueGivesAnEmptyBatch(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        ClaimBatch batch = claim(client, queue, 10);
        assertThat(batch.jobs()).isEmpty();
        assertThat(batch.remaining()).isZero();
        assertThat(redis.keys()).as("an empty claim writes nothing, not even the due index").isEmpty();
    }

    @Test
    void maxOutside1To1000IsBadArgsAndClaimsNothing(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 2));
        for (int max : new int[]{0, -1, 1001}) {
            JobQueueException e = assertBadArgs("claim", () -> claim(client, queue, max));
            assertThat(e.queue()).isEqualTo(queue);
        }
        assertThat(client.inspector().counts(queue).ready()).isEqualTo(2);
    }

    @Test
    void theDedupEntryIsDroppedOnClaimSoAnIdenticalJobCanBePushedWhileTheFirstRuns(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job first = TestJobs.job(queue).param("page", "Main").deduplicated().build();
        Job whileWaiting = TestJobs.job(queue).param("page", "Main").deduplicated().build();
        Job whileRunning = TestJobs.job(queue).param("page", "Main").deduplicated().build();
        client.producer().push(first);
        assertThat(client.producer().push(whileWaiting).duplicates()).containsExactly(whileWaiting.id());

        ClaimedJob running = TestSupport.claimOne(client, queue);
        assertThat(running.id()).isEqualTo(first.id());
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.dedupEntries()).isEmpty();
        assertThat(probe.meta(first.id())).as("kept: the entry comes back if the job waits again").containsEntry("d", first.dedupKey());

        assertThat(client.producer().push(whileRunning).pushed()).containsExactly(whileRunning.id());
        assertThat(probe.dedupEntries()).containsExactly(java.util.Map.entry(first.dedupKey(), whileRunning.id()));
        // acking the first job does not touch the dedup entry of the second
        join(client.consumer().ack(queue, List.of(running.ref())));
        assertThat(probe.dedupEntries()).containsKey(first.dedupKey());
    }

    @Test
    void aSupersededRootJobIsNeverReturnedButDeletedAndCounted(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job old = TestJobs.job(queue).root("refreshLinks:Main", TestJobs.ROOT_T0 + 1000).param("p", 1).deduplicated().build();
        Job sameRoot = TestJobs.job(queue).root("refreshLinks:Main", TestJobs.ROOT_T0 + 1000).param("p", 2).build();
        Job newer = TestJobs.job(queue).root("refreshLinks:Main", TestJobs.ROOT_T0 + 2000).param("p", 3).build();
        Job otherRoot = TestJobs.job(queue).root("refreshLinks:Other", TestJobs.ROOT_T0 + 10).build();
        Job pushedLateButOlder = TestJobs.job(queue).root("refreshLinks:Main", TestJobs.ROOT_T0 + 1500).build();
        client.producer().push(List.of(old, sameRoot, newer, otherRoot, pushedLateButOlder));

        ClaimBatch batch = claim(client, queue, 10);

        assertThat(ids(batch)).containsExactly(newer.id(), otherRoot.id());
        assertThat(batch.superseded()).isEqualTo(3);
        assertThat(batch.remaining()).isZero();
        QueueProbe probe = QueueProbe.of(client, queue);
        for (Job gone : List.of(old, sameRoot, pushedLateButOlder)) {
            assertThat(probe.stateOf(gone.id())).isNull();
            assertThat(probe.meta(gone.id())).isEmpty();
        }
        assertThat(probe.dedupEntries()).as("the superseded job's dedup entry went with it").isEmpty();
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 0, 0, 2, 0));
    }

    @Test
    void aJobOfTheNewestRootRunsEvenWithTheSameTimestamp(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job a = TestJobs.job(queue).root("sig", TestJobs.ROOT_T0 + 1000).param("p", 1).build();
        Job b = TestJobs.job(queue).root("sig", TestJobs.ROOT_T0 + 1000).param("p", 2).build();
        client.producer().push(List.of(a, b));
        ClaimBatch batch = claim(client, queue, 10);
        assertThat(ids(batch)).containsExactly(a.id(), b.id());
        assertThat(batch.superseded()).isZero();
    }

    @Test
    void supersededJobsCountAgainstMaxSoAClaimStaysBounded(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<Job> olds = TestJobs.job(queue).root("sig", TestJobs.ROOT_T0 + 1000).build(3);
        Job newest = TestJobs.job(queue).root("sig", TestJobs.ROOT_T0 + 2000).build();
        client.producer().push(olds);
        client.producer().push(newest);

        ClaimBatch first = claim(client, queue, 2);
        assertThat(first.jobs()).isEmpty();
        assertThat(first.superseded()).isEqualTo(2);
        assertThat(first.remaining()).isEqualTo(2);
        ClaimBatch second = claim(client, queue, 2);
        assertThat(ids(second)).containsExactly(newest.id());
        assertThat(second.superseded()).isEqualTo(1);
    }

    @Test
    void aReadyIdWithoutDataIsDroppedAndTheRestAreClaimed(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job job = TestJobs.job(queue).build();
        client.producer().push(job);
        client.redis().lpush(client.keys().queue(queue).ready(), "ghost"); // edited by hand: not behind the job
        client.redis().rpush(client.keys().queue(queue).ready(), "ghost2"); // and in front of it

        ClaimBatch batch = claim(client, queue, 10);
        assertThat(ids(batch)).containsExactly(job.id());
        assertThat(batch.remaining()).isZero();
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 0, 0, 1, 0));
    }
}
