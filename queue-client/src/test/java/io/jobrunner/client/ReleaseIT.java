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
import static io.jobrunner.client.TestSupport.claimOne;
import static io.jobrunner.client.TestSupport.join;
import static io.jobrunner.client.TestSupport.scripts;
import static org.assertj.core.api.Assertions.assertThat;

/** release.lua through retry, abandon and requeue: only the holder may release; the error is kept. */
@ExtendWith(RedisExtension.class)
class ReleaseIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("release");

    @Test
    void retryLaterMovesTheJobToDelayedKeepsTheErrorAndLowersTheDueTime(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job job = TestJobs.job(queue).build();
        client.producer().push(job);
        ClaimedJob claimed = claimOne(client, queue);
        QueueProbe probe = QueueProbe.of(client, queue);
        long before = probe.serverTime();

        assertThat(join(client.consumer().retry(queue, claimed.ref(), Duration.ofSeconds(5), "HTTP 503"))).isTrue();

        long retryAt = probe.score(JobState.DELAYED, job.id());
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.DELAYED);
        assertThat(retryAt).as("Redis's time plus the delay").isBetween(before + 5_000, probe.serverTime() + 5_000);
        assertThat(probe.lastError(job.id())).isEqualTo("HTTP 503");
        assertThat(probe.token(job.id())).isNull();
        assertThat(probe.attempts(job.id())).isEqualTo(1);
        assertThat(client.redis().zscore(client.keys().due(), queue.toString())).isEqualTo((double) retryAt);
        assertThat(join(client.consumer().claim(queue, 1, TTL)).jobs()).as("not before retryAt").isEmpty();
    }

    @Test
    void retryNowPutsTheJobAtThePushEndOfReady(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job first = TestJobs.job(queue).build();
        Job waiting = TestJobs.job(queue).build();
        client.producer().push(List.of(first, waiting));
        ClaimedJob claimed = claimOne(client, queue);

        assertThat(join(client.consumer().retry(queue, claimed.ref(), Duration.ZERO, "flaky"))).isTrue();

        assertThat(QueueProbe.of(client, queue).readyInClaimOrder()).containsExactly(waiting.id(), first.id());
        assertThat(QueueProbe.of(client, queue).lastError(first.id())).isEqualTo("flaky");
    }

    @Test
    void abandonKeepsTheJobAndTheErrorForTheOperator(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job job = TestJobs.job(queue).build();
        client.producer().push(job);
        ClaimedJob claimed = claimOne(client, queue);
        QueueProbe probe = QueueProbe.of(client, queue);
        long before = probe.serverTime();

        assertThat(join(client.consumer().abandon(queue, claimed.ref(), "permanent: 404"))).isTrue();

        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.score(JobState.ABANDONED, job.id())).isBetween(before, probe.serverTime());
        assertThat(probe.lastError(job.id())).isEqualTo("permanent: 404");
        assertThat(probe.data(job.id())).isNotNull();
    }

    @Test
    void requeueGivesTheJobBackAtTheClaimEndWithoutCountingTheAttempt(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job first = TestJobs.job(queue).build();
        Job waiting = TestJobs.job(queue).build();
        client.producer().push(List.of(first, waiting));
        ClaimedJob claimed = claimOne(client, queue);

        assertThat(join(client.consumer().requeue(queue, claimed.ref()))).isTrue();

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.readyInClaimOrder()).containsExactly(first.id(), waiting.id());
        assertThat(probe.attempts(first.id())).isZero();
        assertThat(claimOne(client, queue).attempts()).isEqualTo(1);
    }

    @Test
    void aLongErrorIsCutBeforeItIsStored(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = claimOne(client, queue);
        join(client.consumer().abandon(queue, claimed.ref(), "e".repeat(10_000)));
        assertThat(QueueProbe.of(client, queue).lastError(claimed.id())).hasSize(JobConsumer.MAX_ERROR_CHARS);
    }

    @Test
    void aReleaseWithoutAnErrorKeepsThePreviousOne(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = claimOne(client, queue);
        join(client.consumer().retry(queue, claimed.ref(), Duration.ZERO, "first failure"));
        ClaimedJob again = claimOne(client, queue);
        join(client.consumer().requeue(queue, again.ref()));
        assertThat(QueueProbe.of(client, queue).lastError(claimed.id())).isEqualTo("first failure");
    }

    @Test
    void aStaleTokenChangesNothing(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job job = TestJobs.job(queue).build();
        client.producer().push(job);
        ClaimedJob first = claimOne(client, queue);
        QueueProbe.of(client, queue).age(TTL.plusMillis(1));
        join(client.maintenance().recycle(queue, 5));
        ClaimedJob second = claimOne(client, queue);

        assertThat(join(client.consumer().retry(queue, first.ref(), Duration.ofSeconds(1), "late"))).isFalse();
        assertThat(join(client.consumer().abandon(queue, first.ref(), "late"))).isFalse();
        assertThat(join(client.consumer().requeue(queue, first.ref()))).isFalse();

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.CLAIMED);
        assertThat(probe.token(job.id())).isEqualTo(second.ref().token());
        assertThat(probe.attempts(job.id())).isEqualTo(2);
        assertThat(probe.lastError(job.id())).isNull();
    }

    @Test
    void releasingIntoAnEmptyQueueRegistersItAgain(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        String stamp = join(client.registry().readyQueues()).get(queue);
        ClaimBatch batch = join(client.consumer().claim(queue, 1, TTL));
        assertThat(batch.remaining()).isZero();
        assertThat(join(client.registry().removeIfUnchanged(queue, stamp))).isTrue(); // a runner saw it empty

        join(client.consumer().requeue(queue, batch.jobs().get(0).ref()));
        assertThat(join(client.registry().readyQueues())).containsKey(queue);
    }

    @Test
    void anUnknownOutcomeIsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = claimOne(client, queue);
        assertBadArgs("release", () -> join(scripts(client).release(queue, claimed.ref(), "explode", 0, "")));
        assertThat(QueueProbe.of(client, queue).stateOf(claimed.id())).isEqualTo(JobState.CLAIMED);
    }

    @Test
    void aNegativeRetryDelayIsReadyAtOnce(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = claimOne(client, queue);
        join(client.consumer().retry(queue, claimed.ref(), Duration.ofMinutes(-1), "x"));
        assertThat(QueueProbe.of(client, queue).stateOf(claimed.id())).isEqualTo(JobState.READY);
    }
}
