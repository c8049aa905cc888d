package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static io.jobrunner.client.TestSupport.scripts;
import static org.assertj.core.api.Assertions.assertThat;

/** prune.lua through {@link QueueMaintenance#prune} and {@link QueueMaintenance#purgeAbandoned}. */
@ExtendWith(RedisExtension.class)
class PruneIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("prune");

    @Test
    void abandonedJobsPastTheRetentionAreDeletedWithEveryTrace(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        List<String> old = abandon(client, 2);
        QueueProbe.of(client, queue).age(Duration.ofHours(2)); // abandoned two hours ago, by Redis's clock
        List<String> recent = abandon(client, 1);

        PruneResult result = join(client.maintenance().prune(queue, Duration.ofHours(1), Duration.ofDays(1)));

        assertThat(result).isEqualTo(new PruneResult(2, 0, false));
        QueueProbe probe = QueueProbe.of(client, queue);
        for (String id : old) {
            assertThat(probe.stateOf(id)).isNull();
            assertThat(probe.meta(id)).isEmpty();
        }
        assertThat(probe.stateOf(recent.get(0))).isEqualTo(JobState.ABANDONED);
        assertThat(probe.lastError(recent.get(0))).isEqualTo("broken");
    }

    @Test
    void rootEntriesWrittenLongerAgoThanTheRetentionAreDeletedWhateverTheirTimestamp(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        long producerTime = TestClock.START.toEpochMilli();
        client.producer().push(List.of(TestJobs.job(queue).root("old", producerTime).build(),
                TestJobs.job(queue).root("edge", producerTime + 1).build()));
        QueueProbe.of(client, queue).age(Duration.ofHours(2)); // written two hours ago, by Redis's clock
        client.producer().push(TestJobs.job(queue).root("new", producerTime - 1).build()); // an older root, written now

        PruneResult result = join(client.maintenance().prune(queue, Duration.ofDays(1), Duration.ofHours(1)));

        assertThat(result).isEqualTo(new PruneResult(0, 2, false));
        assertThat(QueueProbe.of(client, queue).roots()).containsOnlyKeys("new");
        assertThat(client.inspector().counts(queue).ready()).as("waiting jobs are not pruned").isEqualTo(3);
    }

    @Test
    void eachCallIsBoundedByTheBatchSize(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withBatchSize(2), clock);
        abandon(client, 5);
        List<PruneResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(join(client.maintenance().prune(queue, Duration.ZERO, Duration.ofDays(1))));
        }
        assertThat(results).extracting(PruneResult::prunedJobs).containsExactly(2, 2, 1);
        assertThat(results).extracting(PruneResult::more).containsExactly(true, true, false);
    }

    @Test
    void purgeDeletesEveryAbandonedJobAndNothingElse(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withBatchSize(3), clock);
        abandon(client, 7);
        client.producer().push(TestJobs.job(queue).root("kept", TestClock.START.toEpochMilli()).build());
        QueueProbe.of(client, queue).age(Duration.ofDays(365));

        assertThat(client.maintenance().purgeAbandoned(queue)).isEqualTo(7);

        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 1, 0, 0, 0));
        assertThat(QueueProbe.of(client, queue).roots()).containsOnlyKeys("kept");
    }

    @Test
    void aLimitOutside1To1000IsBadArgs(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        assertBadArgs("prune", () -> join(scripts(client).prune(queue, 1, 1, 0)));
        assertBadArgs("prune", () -> join(scripts(client).prune(queue, 1, 1, 1001)));
    }

    private List<String> abandon(JobRunnerClient client, int n) {
        client.producer().push(TestJobs.jobs(queue, n));
        List<String> ids = new ArrayList<>();
        for (ClaimedJob job : claim(client, queue, n).jobs()) {
            assertThat(join(client.consumer().abandon(queue, job.ref(), "broken"))).isTrue();
            ids.add(job.id());
        }
        return ids;
    }
}
