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
import java.util.Map;

import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.claimOne;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The operators' single-job scripts (inspect, delete, run-now, cancel) and pause through {@link JobOperations}. */
@ExtendWith(RedisExtension.class)
class OperationsIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("ops");

    @Test
    void findShowsEachStateWithAttemptsErrorAndTimes(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        JobOperations ops = client.operations();
        Job ready = TestJobs.job(queue).param("page", "Main").build();
        Job delayed = TestJobs.job(queue).delayed(clock, Duration.ofHours(1)).build();
        Job failing = TestJobs.job(queue).build();
        client.producer().push(List.of(failing));
        ClaimedJob claimed = claimOne(client, queue);
        join(client.consumer().abandon(queue, claimed.ref(), "boom <b>"));
        client.producer().push(List.of(ready, delayed));

        JobInfo r = ops.find(queue, ready.id()).orElseThrow();
        assertThat(r.state()).isEqualTo(JobState.READY);
        assertThat(r.job().params().get("page").asText()).isEqualTo("Main");
        assertThat(r.stateSince()).isNull();
        JobInfo d = ops.find(delayed.id()).orElseThrow();
        assertThat(d.queue()).isEqualTo(queue);
        assertThat(d.state()).isEqualTo(JobState.DELAYED);
        assertThat(d.stateSince()).as("its release time, stored by Redis's clock")
                .isEqualTo(io.jobrunner.testing.QueueProbe.of(client, queue).score(JobState.DELAYED, delayed.id()));
        JobInfo a = ops.find(failing.id()).orElseThrow();
        assertThat(a.state()).isEqualTo(JobState.ABANDONED);
        assertThat(a.attempts()).isEqualTo(1);
        assertThat(a.lastError()).isEqualTo("boom <b>");
        assertThat(ops.find("no-such-id")).isEmpty();
        assertThat(ops.find(queue, "no-such-id")).isEmpty();
    }

    @Test
    void pagesWalkAStateInOrderWithTheTotal(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<Job> jobs = TestJobs.jobs(queue, 7);
        client.producer().push(jobs);

        JobPage first = client.operations().page(queue, JobState.READY, 0, 3);
        JobPage last = client.operations().page(queue, JobState.READY, 6, 3);
        JobPage beyond = client.operations().page(queue, JobState.READY, 9, 3);

        assertThat(first.total()).isEqualTo(7);
        assertThat(first.jobs()).extracting(JobInfo::id).containsExactly(jobs.get(0).id(), jobs.get(1).id(), jobs.get(2).id());
        assertThat(last.jobs()).extracting(JobInfo::id).containsExactly(jobs.get(6).id());
        assertThat(beyond.jobs()).isEmpty();
    }

    @Test
    void deleteRemovesWaitingAndAbandonedJobsFromEveryIndexAndRefusesClaimedOnes(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job claimedJob = TestJobs.job(queue).build();
        client.producer().push(claimedJob);
        ClaimedJob running = claimOne(client, queue);
        Job ready = TestJobs.job(queue).deduplicated().param("k", "v").build();
        Job delayed = TestJobs.job(queue).delayed(clock, Duration.ofMinutes(5)).build();
        client.producer().push(List.of(ready, delayed));

        Map<String, String> out = client.operations().delete(queue, List.of(ready.id(), delayed.id(), running.id(), "nope"));

        assertThat(out).containsExactly(Map.entry(ready.id(), "ready"), Map.entry(delayed.id(), "delayed"),
                Map.entry(running.id(), "claimed"), Map.entry("nope", "missing"));
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.data(ready.id())).isNull();
        assertThat(probe.meta(ready.id())).isEmpty();
        assertThat(probe.dedupEntries()).as("an equal job may be pushed again").isEmpty();
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 0, 0, 1, 0));
        assertThat(client.producer().push(TestJobs.job(queue).deduplicated().param("k", "v").build()).pushed()).hasSize(1);

        join(client.consumer().abandon(queue, running.ref(), "gave up"));
        assertThat(client.operations().delete(queue, List.of(running.id()))).containsEntry(running.id(), "abandoned");
        assertThat(probe.data(running.id())).isNull();
    }

    @Test
    void aBulkPurgeLeavesAJobThatWasRetriedMeanwhile(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 2));
        List<ClaimedJob> jobs = claim(client, queue, 2).jobs();
        jobs.forEach(j -> join(client.consumer().abandon(queue, j.ref(), "x")));
        client.operations().retry(queue, jobs.get(0).id());

        List<String> codes = join(new OperatorScripts(new ScriptRunner(client.redisAsync(), client.health()), client.keys())
                .delete(queue, List.of(jobs.get(0).id(), jobs.get(1).id()), true));

        assertThat(codes).containsExactly("kept", "abandoned");
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 1, 0, 0, 0));
    }

    @Test
    void runNowMovesADelayedJobToTheClaimEndAndWakesRunners(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job first = TestJobs.job(queue).build();
        Job later = TestJobs.job(queue).delayed(clock, Duration.ofHours(2)).build();
        client.producer().push(List.of(first, later));
        client.redis().hdel(client.keys().readyRegistry(), queue.toString());
        try (WakeUpRecorder wakes = WakeUpRecorder.subscribe(client)) {
            assertThat(client.operations().runNow(queue, later.id())).isTrue();
            assertThat(client.operations().runNow(queue, later.id())).as("no longer delayed").isFalse();
            assertThat(claimOne(client, queue).id()).as("next claim takes it").isEqualTo(later.id());
            assertThat(client.operations().runNow(queue, first.id())).as("ready, not delayed").isFalse();
        }
        Job alone = TestJobs.job(TestJobs.queue("ops2")).delayed(clock, Duration.ofHours(2)).build();
        client.producer().push(alone);
        try (WakeUpRecorder wakes = WakeUpRecorder.subscribe(client)) {
            client.operations().runNow(alone.queue(), alone.id());
            assertThat(join(client.registry().readyQueues())).containsKey(alone.queue());
            await().atMost(Duration.ofSeconds(5)).until(() -> wakes.messages().stream().anyMatch(m -> m.startsWith(alone.queue() + " ")));
        }
    }

    @Test
    void cancelPublishesAndRecordsTheRequestOnlyForAClaimedJob(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.jobs(queue, 2));
        ClaimedJob running = claimOne(client, queue);
        String waiting = client.inspector().list(queue, JobState.READY, 1).get(0).id();
        try (WakeUpRecorder wakes = WakeUpRecorder.subscribe(client)) {
            assertThat(client.operations().cancel(queue, waiting)).isFalse();
            assertThat(client.operations().cancel(queue, running.id())).isTrue();
            String expected = "!cancel " + queue + " " + running.id();
            await().atMost(Duration.ofSeconds(5)).until(() -> wakes.messages().contains(expected));
            assertThat(ControlMessage.parse(expected)).isEqualTo(ControlMessage.cancel(queue, running.id()));
            assertThat(WakeUp.parse(expected)).as("runners that know only wake-ups ignore it").isNull();
        }
        assertThat(client.redis().hkeys(client.keys().cancels())).containsExactly(queue + " " + running.id());
        assertThat(QueueProbe.of(client, queue).stateOf(running.id())).as("the runner acts, not the script").isEqualTo(JobState.CLAIMED);
    }

    @Test
    void pauseAndResumeAQueueOrATypeInEveryDomain(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        JobOperations ops = client.operations();
        QueueName other = new QueueName("other", queue.type());
        client.producer().push(List.of(TestJobs.job(queue).build(), TestJobs.job(other).build()));

        assertThat(ops.pause(queue.toString())).isTrue();
        assertThat(ops.pause(queue.toString())).as("already paused").isFalse();
        assertThat(ops.pause("*/" + queue.type())).isTrue();
        assertThat(ops.paused()).containsOnlyKeys(queue.toString(), "*/" + queue.type());
        assertThat(client.overview().of(List.of(queue, other))).allMatch(QueueSummary::paused);

        assertThat(ops.resume("*/" + queue.type())).isTrue();
        assertThat(client.overview().of(List.of(queue, other))).extracting(QueueSummary::paused).containsExactly(true, false);
        client.redis().hdel(client.keys().readyRegistry(), queue.toString());
        assertThat(ops.resume(queue.toString())).isTrue();
        assertThat(join(client.registry().readyQueues())).as("resume wakes runners for it").containsKey(queue);
        assertThat(ops.paused()).isEmpty();
        assertThatThrownBy(() -> ops.pause("no-slash")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("domain/type").hasMessageContaining("*/type");
        assertThatThrownBy(() -> ops.pause("*/<script>")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void latencyIsTheAgeOfTheOldestReadyJobByServerTime(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        long serverNow = client.operations().serverTime();
        Job old = TestJobs.job(queue).enqueuedAt(serverNow - 60_000).build();
        client.producer().push(List.of(old, TestJobs.job(queue).enqueuedAt(serverNow).build()));
        QueueName empty = TestJobs.queue("opsEmpty");

        List<QueueSummary> s = client.overview().of(List.of(queue, empty));

        assertThat(s.get(0).ready()).isEqualTo(2);
        assertThat(s.get(0).latencyMs()).isBetween(60_000L, 120_000L);
        assertThat(s.get(1).latencyMs()).isEqualTo(-1);
    }
}
