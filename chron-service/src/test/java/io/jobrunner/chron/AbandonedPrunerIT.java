package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueKeys;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RootJob;
import io.jobrunner.testing.QueueProbe;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pruning of abandoned jobs and root entries past their retention; time passes by ageing the stored times. */
@ExtendWith(RedisExtension.class)
class AbandonedPrunerIT {

    private final TestClock clock = new TestClock(Instant.now()); // the real time now: stored times look ordinary
    private final MetricRegistry metrics = new MetricRegistry();
    private JobRunnerClient client;
    private AbandonedPruner pruner;

    @BeforeEach
    void setUp(TestRedis redis) {
        client = redis.client(clock);
        pruner = new AbandonedPruner(client, TestConfigs.settings("abandoned-retention = 7d", "root-retention = 30d", "page-size = 2"),
                new ChronMetrics(metrics));
    }

    @Test
    void abandonedJobsAreDeletedOnlyOnceTheirRetentionHasPassed() {
        QueueName queue = new QueueName("wiki", "parse");
        String old = abandon("wiki", "parse");
        QueueProbe.ageAll(client, Duration.ofDays(3));
        String recent = abandon("wiki", "parse");
        client.producer().push(Job.of("parse").inDomain("wiki")); // a ready job: never touched by pruning

        QueueProbe.ageAll(client, Duration.ofDays(4).minusMinutes(1));
        assertThat(pruner.run(() -> true)).as("7 days less 1 minute").doesNotContainKey("pruned");

        QueueProbe.ageAll(client, Duration.ofMinutes(1));
        Map<String, Long> counts = pruner.run(() -> true);

        assertThat(counts).containsEntry("pruned", 1L);
        QueueKeys k = client.keys().queue(queue);
        assertThat(client.redis().zrange(k.abandoned(), 0, -1)).containsExactly(recent);
        assertThat(client.redis().hexists(k.data(), old)).as("job data deleted too").isFalse();
        assertThat(client.redis().hkeys(k.meta())).noneMatch(f -> f.startsWith(old + ":"));
        assertThat(client.redis().hexists(k.data(), recent)).isTrue();
        assertThat(client.inspector().counts(queue).ready()).isEqualTo(1);
        assertThat(metrics.meter(MetricName.of("jobrunner_chron_jobs_pruned", "type", "parse")).getCount()).isEqualTo(1);
        assertThat(pruner.run(() -> true)).as("idempotent").doesNotContainKey("pruned");
    }

    @Test
    void aQueueHoldingOnlyAbandonedJobsIsPrunedToo() {
        QueueName queue = new QueueName("gone", "export");
        for (int i = 0; i < 5; i++) {
            abandon("gone", "export");
        }
        assertThat(client.inspector().counts(queue).total()).isEqualTo(5);
        // as runners and the chron leave it: no ready entry, nothing due, still known
        client.redis().hdel(client.keys().readyRegistry(), queue.toString());
        client.redis().zrem(client.keys().due(), queue.toString());
        assertThat(client.redis().sismember(client.keys().queues(), queue.toString())).isTrue();

        QueueProbe.ageAll(client, Duration.ofDays(7));
        assertThat(pruner.run(() -> true)).containsEntry("pruned", 5L);
        assertThat(client.inspector().counts(queue).total()).isZero();
        assertThat(client.redis().exists(client.keys().queue(queue).data())).isZero();
    }

    @Test
    void rootEntriesWrittenLongerAgoThanTheirRetentionAreDeleted() {
        QueueName queue = new QueueName("default", "htmlCacheUpdate");
        long now = clock.millis();
        Job oldRoot = Job.of("htmlCacheUpdate").withRoot(new RootJob("page-1", now));
        Job freshRoot = Job.of("htmlCacheUpdate").withRoot(new RootJob("page-2", now - Duration.ofDays(90).toMillis()));
        client.producer().push(oldRoot);
        QueueProbe.ageAll(client, Duration.ofDays(31)); // page-1 was written 31 days ago, by Redis's clock
        client.producer().push(freshRoot);  // an old root timestamp, written now: kept
        List<ClaimedJob> claimed = client.consumer().claim(queue, 10, Duration.ofMinutes(1)).join().jobs();
        client.consumer().ack(queue, claimed.stream().map(ClaimedJob::ref).toList()).join();
        assertThat(client.inspector().counts(queue).total()).as("only the root entries are left").isZero();

        Map<String, Long> counts = pruner.run(() -> true);

        assertThat(counts).containsEntry("pruned-roots", 1L);
        assertThat(client.redis().zrange(client.keys().queue(queue).roots(), 0, -1)).containsExactly("page-2");
    }

    @Test
    void aRunStopsWhenLeadershipEnds() {
        abandon("default", "late");
        QueueProbe.ageAll(client, Duration.ofDays(8));
        assertThat(pruner.run(() -> false)).doesNotContainKey("pruned");
        assertThat(client.inspector().counts(new QueueName("default", "late")).abandoned()).isEqualTo(1);
    }

    /** Pushes, claims and abandons a job now (by the clock); returns its id. */
    private String abandon(String domain, String type) {
        Job job = Job.of(type).inDomain(domain);
        client.producer().push(job);
        QueueName queue = job.queue();
        ClaimedJob claimed = null;
        for (ClaimedJob c : client.consumer().claim(queue, 10, Duration.ofMinutes(1)).join().jobs()) {
            if (c.ref().id().equals(job.id())) {
                claimed = c;
            } else {
                client.consumer().requeue(queue, c.ref()).join();
            }
        }
        assertThat(claimed).isNotNull();
        assertThat(client.consumer().abandon(queue, claimed.ref(), "permanent failure").join()).isTrue();
        return job.id();
    }
}
