package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.ids;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Job expiry in claim.lua: a job past its expireAt, or enqueued longer than the type's expire-after ago (against
 * Redis's own clock), is not run but counted and kept in the queue's expired record, within a bound.
 */
@ExtendWith(RedisExtension.class)
class ExpiryIT {

    private final QueueName queue = TestJobs.queue("expiring");

    private static Job job(QueueName queue, int seq) {
        return TestJobs.job(queue).param("seq", seq).build();
    }

    @Test
    void aJobPastItsExpireAtIsDroppedAtClaimCountedAndKeptForTheOperator(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job late = job(queue, 1).expireAt(Instant.now().minus(Duration.ofMinutes(1))).deduplicated();
        Job onTime = job(queue, 2).expireAt(Instant.now().plus(Duration.ofHours(1)));
        Job plain = job(queue, 3);
        client.producer().push(List.of(late, onTime, plain));

        ClaimBatch batch = join(client.consumer().claim(queue, 10, TTL));

        assertThat(ids(batch)).containsExactly(onTime.id(), plain.id());
        assertThat(batch.expired()).isEqualTo(1);
        List<JobInfo> expired = client.inspector().list(queue, JobState.EXPIRED, 10);
        assertThat(expired).hasSize(1);
        JobInfo info = expired.get(0);
        assertThat(info.id()).isEqualTo(late.id());
        assertThat(info.job()).as("its data is kept").isEqualTo(late);
        assertThat(info.lastError()).startsWith("expired: not started before " + late.expireAt());
        assertThat(info.attempts()).as("never started").isZero();
        assertThat(client.inspector().expiredCounts(List.of(queue))).containsExactly(1L);
        assertThat(client.producer().push(job(queue, 1).deduplicated()).pushed()).as("its dedup entry is released").hasSize(1);
    }

    @Test
    void anOperatorFindsAnExpiredJobAndCanDeleteIt(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job late = job(queue, 1).expireAt(Instant.now().minus(Duration.ofMinutes(1)));
        client.producer().push(late);
        join(client.consumer().claim(queue, 1, TTL));

        JobInfo found = client.operations().find(queue, late.id()).orElseThrow();
        assertThat(found.state()).isEqualTo(JobState.EXPIRED);
        assertThat(client.operations().page(queue, JobState.EXPIRED, 0, 10).total()).isEqualTo(1);

        assertThat(client.operations().delete(queue, List.of(late.id()))).containsEntry(late.id(), "abandoned");
        assertThat(client.operations().find(queue, late.id())).isEmpty();
        assertThat(client.inspector().expiredCounts(List.of(queue))).containsExactly(0L);
    }

    @Test
    void theTypesExpireAfterCountsFromEnqueuedAt(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job old = TestJobs.job(queue).param("seq", 1).enqueuedAt(Instant.now().minus(Duration.ofMinutes(10)).toEpochMilli()).build();
        Job fresh = job(queue, 2);
        Job ownExpiryFirst = TestJobs.job(queue).param("seq", 3).build().expireAt(Instant.now().minus(Duration.ofSeconds(1)));
        client.producer().push(List.of(old, fresh, ownExpiryFirst));

        ClaimBatch batch = join(client.consumer().claim(queue, 10, TTL, Duration.ofMinutes(5)));

        assertThat(ids(batch)).containsExactly(fresh.id());
        assertThat(batch.expired()).isEqualTo(2);
        assertThat(client.inspector().list(queue, JobState.EXPIRED, 10)).extracting(JobInfo::id)
                .containsExactlyInAnyOrder(old.id(), ownExpiryFirst.id());
    }

    @Test
    void withoutExpireAfterAnOldJobStillRuns(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job old = TestJobs.job(queue).enqueuedAt(Instant.now().minus(Duration.ofDays(3)).toEpochMilli()).build();
        client.producer().push(old);

        assertThat(ids(join(client.consumer().claim(queue, 1, TTL)))).containsExactly(old.id());
    }

    @Test
    void aRetriedJobPastItsExpiryIsDroppedAtItsNextClaim(TestRedis redis) throws InterruptedException {
        JobRunnerClient client = redis.client();
        Job job = job(queue, 1).expireAt(Instant.now().plus(Duration.ofMillis(300)));
        client.producer().push(job);
        ClaimedJob claimed = TestSupport.claimOne(client, queue);
        join(client.consumer().requeue(queue, claimed.ref()));
        // Redis's own clock must pass expireAt (no test clock reaches into Redis): a bounded wait of under a second.
        Thread.sleep(Math.max(0, Math.min(1_000, job.expireAt() + 50 - System.currentTimeMillis())));

        ClaimBatch batch = join(client.consumer().claim(queue, 1, TTL));

        assertThat(batch.jobs()).isEmpty();
        assertThat(batch.expired()).isEqualTo(1);
        assertThat(client.inspector().list(queue, JobState.EXPIRED, 1).get(0).id()).isEqualTo(job.id());
    }

    @Test
    void theExpiredRecordKeepsUpToItsBoundAndDeletesTheRest(TestRedis redis) {
        JobRunnerClient client = redis.client();
        QueueScripts scripts = TestSupport.scripts(client);
        Instant past = Instant.now().minus(Duration.ofMinutes(1));
        List<Job> jobs = List.of(job(queue, 1).expireAt(past), job(queue, 2).expireAt(past), job(queue, 3).expireAt(past));
        client.producer().push(jobs);

        QueueScripts.ClaimReply reply = join(scripts.claim(queue, new QueueScripts.ClaimRequest(10, TTL.toMillis(), "t", 0, 10, 20_000, 0, 2)));

        assertThat(reply.expired()).isEqualTo(3);
        List<String> kept = client.inspector().list(queue, JobState.EXPIRED, 10).stream().map(JobInfo::id).toList();
        assertThat(kept).hasSize(2);
        // the oldest go first; these three expired in the same millisecond, so any one of them may go
        String dropped = ids(jobs).stream().filter(id -> !kept.contains(id)).findFirst().orElseThrow();
        QueueKeys k = client.keys().queue(queue);
        assertThat(client.redis().hexists(k.data(), dropped)).as("the dropped one's data is deleted").isFalse();
        assertThat(client.redis().hexists(k.meta(), dropped + ":e")).isFalse();
        assertThat(client.redis().hlen(k.data())).isEqualTo(2);
    }

    @Test
    void claimRejectsABadExpireAfterOrBound(TestRedis redis) {
        QueueScripts scripts = TestSupport.scripts(redis.client());
        assertBadArgs("claim", () -> join(scripts.claim(queue, new QueueScripts.ClaimRequest(1, 1, "t", 0, 1, 20_000, -1, 10))));
        assertBadArgs("claim", () -> join(scripts.claim(queue, new QueueScripts.ClaimRequest(1, 1, "t", 0, 1, 20_000, 0, 0))));
    }

    @Test
    void anExpiryThatCannotBeMetIsRejectedAtPush() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        assertThatThrownBy(() -> Job.of("t").releaseAt(at).expireAt(at)).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("'expireAt'").hasMessageContaining("after releaseAt");
        assertThatThrownBy(() -> Job.of("t").expireAt(Instant.ofEpochMilli(0))).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("positive");
    }

    @Test
    void expireAtSurvivesTheStoredForm() {
        Job job = Job.of("t").expireAt(Instant.parse("2030-01-01T00:00:00Z"));
        Job back = JobCodec.decodeStored(job.queue(), job.id(), JobCodec.encodeStored(job, 1 << 20));
        assertThat(back).isEqualTo(job);
        assertThat(back.expireAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    }
}
