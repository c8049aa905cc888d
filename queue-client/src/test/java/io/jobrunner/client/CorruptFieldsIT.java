package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.claimOne;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corrupt field in a job's records (edited by hand, a bug, a partial restore) never leaves the job in no state:
 * the script that meets it checks before its first write and moves the job to abandoned with the reason, and the
 * jobs around it go on. Each test breaks one field of the per-job hashes (meta; the data hash is covered by
 * {@code MalformedJobIT}) and asserts where every job is: 0 jobs lost, 0 run twice.
 */
@ExtendWith(RedisExtension.class)
class CorruptFieldsIT {

    private final QueueName queue = TestJobs.queue("corrupt");

    @Test
    void aNonNumericAttemptsFieldAbandonsTheJobAtClaimWithTheReason(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = TestJobs.jobs(queue, 3);
        client.producer().push(jobs);
        client.redis().hset(client.keys().queue(queue).meta(), jobs.get(1).id() + ":a", "two");

        ClaimBatch batch = claim(client, queue, 10);

        assertThat(batch.jobs()).extracting(ClaimedJob::id).containsExactly(jobs.get(0).id(), jobs.get(2).id());
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.stateOf(jobs.get(1).id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.lastError(jobs.get(1).id())).contains("corrupt").contains("attempts").contains("two");
        assertThat(probe.token(jobs.get(1).id())).isNull();
    }

    @Test
    void aRootWithoutATimestampAbandonsTheJobAtClaim(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job rooted = TestJobs.job(queue).root("page", TestJobs.ROOT_T0).build();
        Job plain = TestJobs.job(queue).build();
        client.producer().push(List.of(rooted, plain));
        client.redis().hdel(client.keys().queue(queue).meta(), rooted.id() + ":rt");

        assertThat(claim(client, queue, 10).jobs()).extracting(ClaimedJob::id).containsExactly(plain.id());
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.stateOf(rooted.id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.lastError(rooted.id())).contains("root job without a numeric root timestamp");
    }

    @Test
    void aCorruptAttemptsFieldOfAnExpiredClaimAbandonsItInRecycle(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = TestJobs.jobs(queue, 2);
        client.producer().push(jobs);
        claim(client, queue, 2);
        client.redis().hset(client.keys().queue(queue).meta(), jobs.get(0).id() + ":a", "1.5");
        QueueProbe probe = QueueProbe.of(client, queue);
        probe.age(TTL.plusSeconds(1));

        RecycleResult result = join(client.maintenance().recycle(queue, 3));

        assertThat(result.abandoned()).isEqualTo(1);
        assertThat(result.recycled()).isEqualTo(1);
        assertThat(probe.stateOf(jobs.get(0).id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.lastError(jobs.get(0).id())).contains("corrupt").contains("1.5");
        assertThat(probe.stateOf(jobs.get(1).id())).isEqualTo(JobState.READY);
    }

    @Test
    void aRequeueOfAJobWithCorruptAttemptsAbandonsIt(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(TestJobs.job(queue).build());
        ClaimedJob claimed = claimOne(client, queue);
        client.redis().hset(client.keys().queue(queue).meta(), claimed.id() + ":a", "");

        assertThat(join(client.consumer().requeue(queue, claimed.ref()))).isTrue();

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.stateOf(claimed.id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.lastError(claimed.id())).contains("corrupt").contains("requeue");
    }

    @Test
    void corruptClaimBookkeepingFallsBackSafely(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = TestJobs.jobs(queue, 2);
        client.producer().push(jobs);
        join(client.consumer().claim(queue, 2, TTL, 1, 2));
        String meta = client.keys().queue(queue).meta();
        client.redis().hset(meta, jobs.get(0).id() + ":m", "many"); // max attempts: the chron's instead
        client.redis().hset(meta, jobs.get(1).id() + ":s", "?");    // started mark: counted as started
        QueueProbe probe = QueueProbe.of(client, queue);
        probe.age(TTL.plusSeconds(1));

        RecycleResult result = join(client.maintenance().recycle(queue, 3));

        assertThat(result.recycled()).as("attempt 1 of the chron's 3").isEqualTo(1);
        assertThat(result.abandoned()).as("attempt 1 of its runner's 1").isEqualTo(1);
        assertThat(probe.stateOf(jobs.get(0).id())).isEqualTo(JobState.READY);
        assertThat(probe.stateOf(jobs.get(1).id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.attempts(jobs.get(0).id())).isEqualTo(1);
    }
}
