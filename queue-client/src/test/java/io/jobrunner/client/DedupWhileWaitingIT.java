package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.claimOne;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * De-duplication protects a job whenever it waits: pushed, and again when it is back in ready or delayed after a
 * claim (retry, recycle, requeue, retry of an abandoned job). While it is claimed an equal job may be pushed; then
 * the waiting one keeps the key and both run (nothing is dropped that was not a duplicate of a waiting job).
 */
@ExtendWith(RedisExtension.class)
class DedupWhileWaitingIT {

    private final QueueName queue = TestJobs.queue("dedup-again");

    private Job job() {
        return TestJobs.job(queue).param("page", "Main").deduplicated().build();
    }

    @Test
    void aRetriedJobInDelayedIsProtectedAgain(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job first = job();
        client.producer().push(first);
        join(client.consumer().retry(queue, claimOne(client, queue).ref(), Duration.ofMinutes(1), "503"));

        Job equal = job();
        assertThat(client.producer().push(equal).duplicates()).containsExactly(equal.id());
        assertThat(QueueProbe.of(client, queue).dedupEntries()).containsExactly(java.util.Map.entry(first.dedupKey(), first.id()));
    }

    @Test
    void aRecycledJobIsProtectedAgain(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job first = job();
        client.producer().push(first);
        claimOne(client, queue);
        QueueProbe.of(client, queue).age(TTL.plusSeconds(1));
        assertThat(join(client.maintenance().recycle(queue, 3)).recycled()).isEqualTo(1);

        Job equal = job();
        assertThat(client.producer().push(equal).duplicates()).containsExactly(equal.id());
    }

    @Test
    void aRequeuedJobAndARetriedAbandonedJobAreProtectedAgain(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job first = job();
        client.producer().push(first);
        join(client.consumer().requeue(queue, claimOne(client, queue).ref()));
        assertThat(client.producer().push(job()).duplicates()).hasSize(1);

        join(client.consumer().abandon(queue, claimOne(client, queue).ref(), "bad"));
        Job whileAbandoned = job();
        assertThat(client.producer().push(whileAbandoned).pushed()).as("an abandoned job does not wait").containsExactly(whileAbandoned.id());
        join(client.consumer().ack(queue, List.of(claimOne(client, queue).ref())));
        assertThat(client.maintenance().retryAbandoned(queue, List.of())).isEqualTo(1);
        assertThat(client.producer().push(job()).duplicates()).hasSize(1);
        assertThat(QueueProbe.of(client, queue).dedupEntries()).containsExactly(java.util.Map.entry(first.dedupKey(), first.id()));
    }

    @Test
    void anEqualJobPushedWhileTheFirstRanKeepsTheKeyAndBothRun(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job first = job();
        client.producer().push(first);
        ClaimedJob running = claimOne(client, queue);
        Job second = job();
        assertThat(client.producer().push(second).pushed()).containsExactly(second.id());

        join(client.consumer().retry(queue, running.ref(), Duration.ZERO, "flaky")); // the first waits again

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.dedupEntries()).containsExactly(java.util.Map.entry(first.dedupKey(), second.id()));
        assertThat(probe.readyInClaimOrder()).containsExactly(second.id(), first.id());
        join(client.consumer().ack(queue, List.of(claimOne(client, queue).ref())));
        join(client.consumer().ack(queue, List.of(claimOne(client, queue).ref())));
        assertThat(probe.dedupEntries()).as("no entry outlives its job").isEmpty();
        assertThat(probe.isEmpty()).isTrue();
    }
}
