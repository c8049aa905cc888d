package io.jobrunner.client;

import com.fasterxml.jackson.databind.JsonNode;
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

import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.ids;
import static io.jobrunner.client.TestSupport.join;
import static io.jobrunner.client.TestSupport.scripts;
import static org.assertj.core.api.Assertions.assertThat;

/** push.lua through {@link JobProducer}: ready and delayed jobs, duplicates, dedup, roots, registry follow-ups. */
@ExtendWith(RedisExtension.class)
class PushIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("push");

    @Test
    void readyJobsAreStoredOnceAndClaimedInPushOrder(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client(clock);
        List<Job> jobs = TestJobs.jobs(queue, 3);
        for (Job job : jobs) {
            assertThat(client.producer().push(job)).isEqualTo(new PushResult(List.of(job.id()), List.of()));
        }

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.readyInClaimOrder()).containsExactlyElementsOf(ids(jobs));
        for (Job job : jobs) {
            assertThat(probe.stateOf(job.id())).isEqualTo(JobState.READY);
            JsonNode stored = JobCodec.mapper().readTree(probe.data(job.id()));
            assertThat(stored.has("id") || stored.has("type") || stored.has("domain")).as("stored form is minimal").isFalse();
            assertThat(JobCodec.decodeStored(queue, job.id(), probe.data(job.id()))).isEqualTo(job);
        }
    }

    @Test
    void firstPushRegistersTheQueueAndLaterPushesKeepItsStamp(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        String stamp = join(client.registry().readyQueues()).get(queue);
        assertThat(stamp).isNotBlank();
        assertThat(client.registry().allKnownQueues()).containsExactly(queue);

        client.producer().push(TestJobs.job(queue).build());
        assertThat(join(client.registry().readyQueues())).containsEntry(queue, stamp);
    }

    @Test
    void aJobWithAFutureReleaseTimeWaitsInDelayedAndMakesTheQueueDue(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job later = TestJobs.job(queue).delayed(clock, Duration.ofMinutes(5)).build();
        Job sooner = TestJobs.job(queue).delayed(clock, Duration.ofMinutes(1)).build();
        QueueProbe probe = QueueProbe.of(client, queue);
        long before = probe.serverTime();
        client.producer().push(List.of(later, sooner));
        long after = probe.serverTime();

        assertThat(probe.stateOf(later.id())).isEqualTo(JobState.DELAYED);
        assertThat(probe.score(JobState.DELAYED, later.id())).as("Redis's time plus the delay the producer asked for")
                .isBetween(before + 300_000, after + 300_000);
        assertThat(join(client.registry().readyQueues())).doesNotContainKey(queue);
        assertThat(client.registry().allKnownQueues()).containsExactly(queue);
        assertThat(client.redis().zscore(client.keys().due(), queue.toString()))
                .isEqualTo(probe.score(JobState.DELAYED, sooner.id()).doubleValue());
        assertThat(join(client.registry().dueQueues(10)).queues()).isEmpty();
        probe.age(Duration.ofMinutes(1));
        assertThat(join(client.registry().dueQueues(10)).queues()).containsExactly(queue);
    }

    @Test
    void aReleaseTimeNotInTheFutureMeansReadyNow(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job now = TestJobs.job(queue).releaseAt(clock.instant()).build();
        Job past = TestJobs.job(queue).releaseAt(clock.instant().minusSeconds(60)).build();
        client.producer().push(List.of(now, past));

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.readyInClaimOrder()).containsExactly(now.id(), past.id());
        assertThat(join(client.registry().readyQueues())).containsKey(queue);
    }

    @Test
    void pushingTheSameJobAgainIsADuplicateInEveryState(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job ready = TestJobs.job(queue).build();
        Job delayed = TestJobs.job(queue).delayed(clock, Duration.ofHours(1)).build();
        client.producer().push(List.of(ready, delayed));
        List<Job> again = List.of(ready, delayed);
        assertThat(client.producer().push(again)).isEqualTo(new PushResult(List.of(), ids(again)));

        ClaimedJob claimed = TestSupport.claimOne(client, queue);
        assertThat(client.producer().push(ready).duplicates()).containsExactly(claimed.id());
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 0, 1, 1, 0));
    }

    @Test
    void aJobWithTheDedupKeyOfAWaitingJobIsDroppedEvenInTheSameBatch(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job first = TestJobs.job(queue).param("page", "Main").param("requestId", "r1").deduplicated("requestId").build();
        Job sameBatch = TestJobs.job(queue).param("page", "Main").param("requestId", "r2").deduplicated("requestId").build();
        Job other = TestJobs.job(queue).param("page", "Other").deduplicated("requestId").build();
        assertThat(client.producer().push(List.of(first, sameBatch, other)))
                .isEqualTo(new PushResult(List.of(first.id(), other.id()), List.of(sameBatch.id())));

        Job laterDelayed = TestJobs.job(queue).param("page", "Main").deduplicated("requestId")
                .delayed(clock, Duration.ofMinutes(1)).build();
        assertThat(client.producer().push(laterDelayed).duplicates()).containsExactly(laterDelayed.id());

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.dedupEntries()).containsEntry(first.dedupKey(), first.id()).containsEntry(other.dedupKey(), other.id())
                .hasSize(2);
        assertThat(probe.meta(first.id())).containsEntry("d", first.dedupKey());
    }

    @Test
    void aDelayedJobHoldsItsDedupKeyToo(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job delayed = TestJobs.job(queue).param("k", "v").deduplicated().delayed(clock, Duration.ofMinutes(1)).build();
        Job ready = TestJobs.job(queue).param("k", "v").deduplicated().build();
        client.producer().push(delayed);
        assertThat(client.producer().push(ready).duplicates()).containsExactly(ready.id());
    }

    @Test
    void rootJobsRecordTheNewestRootTimestampOnly(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).root("refreshLinks:Main", TestJobs.ROOT_T0 + 2000).build());
        client.producer().push(TestJobs.job(queue).root("refreshLinks:Main", TestJobs.ROOT_T0 + 1000).build());
        client.producer().push(TestJobs.job(queue).root("refreshLinks:Other", TestJobs.ROOT_T0 + 500).build());

        assertThat(QueueProbe.of(client, queue).roots())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("refreshLinks:Main", TestJobs.ROOT_T0 + 2000,
                        "refreshLinks:Other", TestJobs.ROOT_T0 + 500));
    }

    @Test
    void anEmptyBatchTouchesNothing(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertThat(join(client.producer().pushAsync(List.of()))).isEqualTo(new PushResult(List.of(), List.of()));
        assertThat(redis.keys()).isEmpty();
    }

    @Test
    void moreThanAThousandJobsInOneScriptCallIsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<QueueScripts.PushItem> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            items.add(new QueueScripts.PushItem(JobIds.next(), "{}", 0, null, null, 0, 0));
        }
        JobQueueException e = assertBadArgs("push", () -> join(scripts(client).push(queue, items)));
        assertThat(e.queue()).isEqualTo(queue);
        assertThat(e.getMessage()).contains(queue.toString());
        assertThat(redis.keys()).isEmpty();
    }
}
