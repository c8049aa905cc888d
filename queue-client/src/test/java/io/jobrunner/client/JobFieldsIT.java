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
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-job fields of the meta hash (listed once, in {@code job-fields.lua}) all go when a job goes: acked,
 * pruned, or superseded at claim time. Each job here first gets every field a job can have: dedup key, root,
 * expiry, attempts, claim token, started mark, max attempts, last error.
 */
@ExtendWith(RedisExtension.class)
class JobFieldsIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("fields");

    /** Pushed with a dedup key, a root and an expiry; claimed, retried with an error, claimed again (attempt 2). */
    private ClaimedJob withEveryField(JobRunnerClient client, String page, long rootTimestamp) {
        Job job = TestJobs.job(queue).param("page", page).deduplicated().root("refreshLinks:" + page, rootTimestamp).build()
                .expireAt(clock.instant().plus(Duration.ofDays(1)));
        client.producer().push(job);
        ClaimedJob first = join(client.consumer().claim(queue, 1, TTL, 5, 1)).jobs().get(0);
        assertThat(join(client.consumer().retry(queue, first.ref(), Duration.ZERO, "flaky"))).isTrue();
        ClaimedJob second = join(client.consumer().claim(queue, 1, TTL, 5, 1)).jobs().get(0);
        assertThat(QueueProbe.of(client, queue).meta(second.id())).as("every field set")
                .containsKeys("a", "t", "s", "m", "e", "d", "r", "rt", "x");
        return second;
    }

    @Test
    void anAckedJobLeavesNoField(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        ClaimedJob job = withEveryField(client, "Main", TestJobs.ROOT_T0);

        assertThat(join(client.consumer().ack(queue, List.of(job.ref()))).acked()).isEqualTo(1);

        assertThat(QueueProbe.of(client, queue).meta(job.id())).isEmpty();
    }

    @Test
    void aPrunedJobLeavesNoField(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        ClaimedJob job = withEveryField(client, "Main", TestJobs.ROOT_T0);
        assertThat(join(client.consumer().abandon(queue, job.ref(), "broken"))).isTrue();
        QueueProbe.of(client, queue).age(Duration.ofHours(2));

        assertThat(join(client.maintenance().prune(queue, Duration.ofHours(1), Duration.ofDays(1))).prunedJobs()).isEqualTo(1);

        assertThat(QueueProbe.of(client, queue).meta(job.id())).isEmpty();
    }

    @Test
    void aSupersededJobLeavesNoField(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        ClaimedJob old = withEveryField(client, "Main", TestJobs.ROOT_T0);
        assertThat(join(client.consumer().retry(queue, old.ref(), Duration.ZERO, "again"))).isTrue(); // waiting, fields kept
        client.producer().push(TestJobs.job(queue).param("page", "Other").root("refreshLinks:Main", TestJobs.ROOT_T0 + 1000).build());

        ClaimBatch batch = claim(client, queue, 10);

        assertThat(batch.superseded()).isEqualTo(1);
        assertThat(QueueProbe.of(client, queue).meta(old.id())).isEmpty();
    }
}
