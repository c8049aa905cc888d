package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static io.jobrunner.client.TestSupport.scripts;
import static org.assertj.core.api.Assertions.assertThat;

/** retry-abandoned.lua through {@link QueueMaintenance#retryAbandoned}: the operator's second chance. */
@ExtendWith(RedisExtension.class)
class RetryAbandonedIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("retry");

    @Test
    void allAbandonedJobsGoBackOldestFirstWithAttemptsReset(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<String> abandoned = abandonEach(client, 3);

        assertThat(client.maintenance().retryAbandoned(queue, List.of())).isEqualTo(3);

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.readyInClaimOrder()).containsExactlyElementsOf(abandoned);
        for (String id : abandoned) {
            assertThat(probe.attempts(id)).isZero();
            assertThat(probe.lastError(id)).as("kept for the operator").isEqualTo("broken");
        }
        assertThat(claim(client, queue, 3).jobs()).extracting(ClaimedJob::attempts).containsOnly(1);
    }

    @Test
    void onlyTheGivenIdsThatAreAbandonedMove(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<String> abandoned = abandonEach(client, 3);
        Job waiting = TestJobs.job(queue).build();
        client.producer().push(waiting);

        int moved = client.maintenance().retryAbandoned(queue, List.of(abandoned.get(1), waiting.id(), "unknown"));

        assertThat(moved).isEqualTo(1);
        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.stateOf(abandoned.get(1))).isEqualTo(JobState.READY);
        assertThat(probe.stateOf(abandoned.get(0))).isEqualTo(JobState.ABANDONED);
        assertThat(probe.readyInClaimOrder()).containsExactly(waiting.id(), abandoned.get(1));
    }

    @Test
    void anIdListedTwiceMovesOnceSoItIsNeverInReadyTwice(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        String id = abandonEach(client, 1).get(0);

        assertThat(client.maintenance().retryAbandoned(queue, List.of(id, id))).isEqualTo(1);

        assertThat(QueueProbe.of(client, queue).readyInClaimOrder()).containsExactly(id);
        assertThat(claim(client, queue, 10).jobs()).hasSize(1);
        assertThat(claim(client, queue, 10).jobs()).isEmpty();
    }

    @Test
    void manyJobsAreMovedInBoundedCalls(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withBatchSize(2), clock);
        List<String> all = abandonEach(client, 5);
        assertThat(client.maintenance().retryAbandoned(queue, List.of())).isEqualTo(5);
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 5, 0, 0, 0));

        List<String> again = new ArrayList<>();
        for (ClaimedJob job : claim(client, queue, 5).jobs()) {
            join(client.consumer().abandon(queue, job.ref(), "again"));
            again.add(job.id());
        }
        List<String> reversed = new ArrayList<>(again);
        Collections.reverse(reversed);
        assertThat(client.maintenance().retryAbandoned(queue, reversed)).isEqualTo(5);
        assertThat(QueueProbe.of(client, queue).readyInClaimOrder()).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void retryingIntoAnEmptyQueueRegistersIt(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        abandonEach(client, 1);
        client.redis().hdel(client.keys().readyRegistry(), queue.toString()); // a runner found it empty meanwhile
        client.maintenance().retryAbandoned(queue, List.of());
        assertThat(join(client.registry().readyQueues())).containsKey(queue);
    }

    @Test
    void aBadLimitOrMoreIdsThanTheLimitIsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertBadArgs("retry-abandoned", () -> join(scripts(client).retryAbandoned(queue, 0, List.of())));
        assertBadArgs("retry-abandoned", () -> join(scripts(client).retryAbandoned(queue, 1001, List.of())));
        assertBadArgs("retry-abandoned", () -> join(scripts(client).retryAbandoned(queue, 1, List.of("a", "b"))));
    }

    /** Pushes, claims and abandons {@code n} jobs one at a time, a millisecond apart; returns their ids oldest first. */
    private List<String> abandonEach(JobRunnerClient client, int n) {
        List<String> ids = new ArrayList<>();
        client.producer().push(TestJobs.jobs(queue, n));
        for (ClaimedJob job : claim(client, queue, n).jobs()) {
            join(client.consumer().abandon(queue, job.ref(), "broken"));
            ids.add(job.id());
            QueueProbe.of(client, queue).age(Duration.ofMillis(10)); // the next one is abandoned later
        }
        return ids;
    }
}
