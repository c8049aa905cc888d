package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Uniqueness modes of the dedup key (push, claim, start, ack, release, recycle, prune): until-started,
 * until-finished and for:&lt;ms&gt;, beside the default while-waiting; each released where the job's mode says, and
 * never twice held or lost under racing pushes.
 */
@ExtendWith(RedisExtension.class)
class UniquenessIT {

    private final QueueName queue = TestJobs.queue("report");

    private Job job(Uniqueness mode, String ts) {
        return Job.of("report", JobCodec.mapper().createObjectNode().put("day", "2026-12-03").put("ts", ts))
                .inDomain(queue.domain()).unique(mode, "ts");
    }

    private boolean pushes(JobRunnerClient client, Job job) {
        return client.producer().push(job).pushed().size() == 1;
    }

    private static ClaimedJob claimOne(JobRunnerClient client, QueueName queue, int startNow) {
        List<ClaimedJob> jobs = join(client.consumer().claim(queue, 1, TTL, 3, startNow)).jobs();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    @Test
    void untilFinishedHoldsWhileWaitingRunningAndRetryingAndEndsWithTheAck(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Uniqueness mode = Uniqueness.untilFinished();
        assertThat(pushes(client, job(mode, "1"))).isTrue();
        assertThat(pushes(client, job(mode, "2"))).as("while it waits; ts is ignored").isFalse();

        ClaimedJob running = claimOne(client, queue, 1);
        assertThat(running.job().unique()).isEqualTo(mode);
        assertThat(pushes(client, job(mode, "3"))).as("while it runs").isFalse();
        assertThat(join(client.consumer().retry(queue, running.ref(), Duration.ZERO, "flaky"))).isTrue();
        assertThat(pushes(client, job(mode, "4"))).as("while it waits for its retry").isFalse();

        ClaimedJob again = claimOne(client, queue, 1);
        assertThat(join(client.consumer().ack(queue, List.of(again.ref()))).acked()).isEqualTo(1);
        assertThat(pushes(client, job(mode, "5"))).as("finished: free again").isTrue();
        assertThat(client.redis().hlen(client.keys().queue(queue).meta())).as("only the new job's fields").isEqualTo(2);
    }

    @Test
    void untilFinishedEndsWhenTheJobIsAbandonedExpiresOrIsDeleted(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Uniqueness mode = Uniqueness.untilFinished();

        client.producer().push(job(mode, "a"));
        join(client.consumer().abandon(queue, claimOne(client, queue, 1).ref(), "permanent"));
        assertThat(pushes(client, job(mode, "b"))).as("abandoned").isTrue();

        ClaimedJob lastAttempt = join(client.consumer().claim(queue, 1, TTL, 1, 1)).jobs().get(0);
        client.redis().zadd(client.keys().queue(queue).claimed(), 1, lastAttempt.id()); // its claim ran out
        RecycleResult recycled = join(client.maintenance().recycle(queue, 1));
        assertThat(recycled.abandoned()).as("out of attempts").isEqualTo(1);
        assertThat(pushes(client, job(mode, "c"))).as("abandoned by recycle").isTrue();

        ClaimedJob c = claimOne(client, queue, 1);
        client.redis().zadd(client.keys().queue(queue).claimed(), 1, c.id());
        assertThat(join(client.maintenance().recycle(queue, 3)).recycled()).as("back to ready, attempts left").isEqualTo(1);
        assertThat(pushes(client, job(mode, "d"))).as("recycled to ready: still unfinished").isFalse();
        assertThat(client.operations().delete(queue, List.of(c.id()))).containsEntry(c.id(), "ready");
        assertThat(pushes(client, job(mode, "e").expireAt(Instant.now().minusSeconds(60)))).as("deleted").isTrue();

        ClaimBatch batch = join(client.consumer().claim(queue, 1, TTL));
        assertThat(batch.expired()).isEqualTo(1);
        assertThat(pushes(client, job(mode, "f"))).as("expired").isTrue();
    }

    @Test
    void untilStartedEndsWhenTheJobStartsAndARetryDoesNotTakeItAgain(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Uniqueness mode = Uniqueness.untilStarted();
        client.producer().push(job(mode, "1"));
        ClaimedJob buffered = claimOne(client, queue, 0);
        assertThat(pushes(client, job(mode, "2"))).as("claimed but not started").isFalse();
        assertThat(join(client.consumer().markStarted(queue, buffered.ref()))).isTrue();
        assertThat(pushes(client, job(mode, "3"))).as("started").isTrue();

        ClaimedJob second = join(client.consumer().claim(queue, 1, TTL, 3, 1)).jobs().get(0);
        assertThat(join(client.consumer().retry(queue, buffered.ref(), Duration.ZERO, "flaky"))).isTrue();
        assertThat(pushes(client, job(mode, "4"))).as("the retry of a started job holds nothing").isTrue();
        assertThat(second.id()).isNotEqualTo(buffered.id());

        List<ClaimedJob> rest = join(client.consumer().claim(queue, 10, TTL, 3, 10)).jobs();
        assertThat(rest).hasSize(2);
        join(client.consumer().ack(queue, List.of(second.ref(), rest.get(0).ref(), rest.get(1).ref())));
        client.producer().push(job(mode, "5"));
        ClaimedJob unstarted = claimOne(client, queue, 0);
        join(client.consumer().requeue(queue, unstarted.ref()));
        assertThat(pushes(client, job(mode, "6"))).as("given back unstarted: still held").isFalse();
    }

    @Test
    void whileWaitingIsTheDefaultAndComesBackWithARetry(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job first = job(Uniqueness.whileWaiting(), "1");
        assertThat(first.unique()).as("stored as no mode").isNull();
        client.producer().push(first);
        ClaimedJob running = claimOne(client, queue, 1);
        assertThat(pushes(client, job(Uniqueness.whileWaiting(), "2"))).as("not while it runs").isTrue();
        claimOne(client, queue, 1);
        join(client.consumer().retry(queue, running.ref(), Duration.ZERO, "flaky"));
        assertThat(pushes(client, job(Uniqueness.whileWaiting(), "3"))).as("waiting again").isFalse();
    }

    @Test
    void forAPeriodHoldsByRedisTimeWhateverBecomesOfTheJobAndPruneDropsRunOutEntries(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Uniqueness mode = Uniqueness.forPeriod(Duration.ofMillis(1500));
        client.producer().push(job(mode, "1"));
        ClaimedJob done = claimOne(client, queue, 1);
        join(client.consumer().ack(queue, List.of(done.ref())));
        assertThat(pushes(client, job(mode, "2"))).as("finished, still within the period").isFalse();
        assertThat(pushes(client, job(Uniqueness.untilFinished(), "2"))).as("any mode of the same key").isFalse();
        assertThat(client.redis().hlen(client.keys().queue(queue).dedup())).as("holds by time alone").isZero();

        await("the period ends by Redis's clock").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> pushes(client, job(Uniqueness.untilFinished(), "3")));
        claimOne(client, queue, 1);
        join(client.maintenance().prune(queue, Duration.ofDays(7), Duration.ofDays(30)));
        assertThat(client.redis().zcard(client.keys().queue(queue).unique())).as("the run-out entry pruned").isZero();
    }

    @Test
    void racingPushersOfEqualJobsStoreExactlyOne(TestRedis redis) {
        JobRunnerClient a = redis.client();
        JobRunnerClient b = redis.client();
        for (Uniqueness mode : List.of(Uniqueness.untilFinished(), Uniqueness.forPeriod(Duration.ofMinutes(1)))) {
            QueueName q = TestJobs.queue("race" + mode.mode().ordinal());
            List<CompletableFuture<PushResult>> pushes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Job job = Job.of(q.type(), JobCodec.mapper().createObjectNode().put("k", 1).put("n", i))
                        .inDomain(q.domain()).unique(mode, "n");
                pushes.add((i % 2 == 0 ? a : b).producer().pushAsync(List.of(job)));
            }
            assertThat(pushes.stream().map(TestSupport::join).mapToInt(r -> r.pushed().size()).sum()).as(mode.toString()).isEqualTo(1);
        }
    }

    @Test
    void aPushRacingTheAckIsEitherADuplicateOrStoredNeverBothNorNeither(TestRedis redis) {
        JobRunnerClient a = redis.client();
        JobRunnerClient b = redis.client();
        Uniqueness mode = Uniqueness.untilFinished();
        a.producer().push(job(mode, "0"));
        for (int i = 1; i <= 30; i++) {
            ClaimedJob running = claimOne(a, queue, 1);
            CompletableFuture<AckResult> ack = a.consumer().ack(queue, List.of(running.ref()));
            CompletableFuture<PushResult> push = b.producer().pushAsync(List.of(job(mode, Integer.toString(i))));
            assertThat(join(ack).acked()).isEqualTo(1);
            boolean stored = join(push).pushed().size() == 1;
            long waiting = a.inspector().counts(queue).total();
            assertThat(waiting).as("round %d: stored=%s", i, stored).isEqualTo(stored ? 1 : 0);
            if (!stored) {
                a.producer().push(job(mode, "again" + i));
            }
        }
    }

    @Test
    void badModesAreRefusedBeforeRedisIsTouched(TestRedis redis) {
        assertThatThrownBy(() -> Uniqueness.parse("until-done")).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("until-started, until-finished or for:<ms>");
        assertThatThrownBy(() -> Uniqueness.forPeriod(Duration.ZERO)).hasMessageContaining("1ms to 366d");
        assertThatThrownBy(() -> Uniqueness.forPeriod(Duration.ofDays(400))).hasMessageContaining("1ms to 366d");
        assertThatThrownBy(() -> new Job("id1", "t", "d", JobCodec.mapper().createObjectNode(), 1, null, null, null, null, null,
                Uniqueness.untilStarted())).isInstanceOf(InvalidJobException.class).hasMessageContaining("a dedup key");
        assertThat(Uniqueness.parse("for:600000")).isEqualTo(Uniqueness.forPeriod(Duration.ofMinutes(10)));
        assertThat(Uniqueness.parse(Uniqueness.untilFinished().toString())).isEqualTo(Uniqueness.untilFinished());

        JobRunnerClient client = redis.client();
        QueueScripts scripts = TestSupport.scripts(client);
        assertBadArgs("push", () -> join(scripts.push(queue, List.of(
                new QueueScripts.PushItem("x", "{}", 0, null, null, 0, 0, Uniqueness.untilFinished(), 0)))));
        assertThat(client.redis().hexists(client.keys().queue(queue).data(), "x")).isFalse();

        Job stored = job(Uniqueness.forPeriod(Duration.ofSeconds(90)), "1");
        assertThat(JobCodec.decodeStored(queue, stored.id(), JobCodec.encodeStored(stored, 1 << 20))).isEqualTo(stored);
    }
}
