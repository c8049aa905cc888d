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

import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link QueueInspector}: counts per state, listings per state with attempts and last error, known queues. */
@ExtendWith(RedisExtension.class)
class InspectorIT {

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("inspect");

    @Test
    void countsEveryStateOfManyQueues(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        QueueName other = new QueueName("wiki2", "inspect");
        QueueName empty = TestJobs.queue("never");
        populate(client);
        client.producer().push(TestJobs.jobs(other, 2));

        assertThat(client.inspector().counts(List.of(queue, other, empty))).containsExactly(
                new QueueCounts(queue, 3, 2, 1, 1), new QueueCounts(other, 2, 0, 0, 0), new QueueCounts(empty, 0, 0, 0, 0));
        assertThat(client.inspector().counts(queue).total()).isEqualTo(7);
        assertThat(client.inspector().queues()).containsExactlyInAnyOrder(queue, other);
    }

    @Test
    void listsEachStateWithItsTimeAttemptsAndLastError(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Populated p = populate(client);

        List<JobInfo> ready = client.inspector().list(queue, JobState.READY, 10);
        assertThat(ready).extracting(JobInfo::id).containsExactly(p.retried.id(), p.ready.get(0).id(), p.ready.get(1).id());
        assertThat(ready).allSatisfy(i -> {
            assertThat(i.state()).isEqualTo(JobState.READY);
            assertThat(i.stateSince()).isNull();
            assertThat(i.queue()).isEqualTo(queue);
        });
        assertThat(ready.get(0).attempts()).isEqualTo(1);
        assertThat(ready.get(0).lastError()).isEqualTo("timeout");
        assertThat(ready.get(1).attempts()).isZero();
        assertThat(ready.get(1).job()).isEqualTo(p.ready.get(0));
        assertThat(ready.get(1).lastError()).isNull();

        List<JobInfo> delayed = client.inspector().list(queue, JobState.DELAYED, 10);
        assertThat(delayed).extracting(JobInfo::id).containsExactly(p.delayed.get(0).id(), p.delayed.get(1).id());
        assertThat(delayed).extracting(JobInfo::stateSince).containsExactlyElementsOf(p.releaseTimes);

        List<JobInfo> claimed = client.inspector().list(queue, JobState.CLAIMED, 10);
        assertThat(claimed).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(p.claimed.id());
            assertThat(i.attempts()).isEqualTo(1);
            assertThat(i.stateSince()).isEqualTo(p.claimDeadline);
            assertThat(i.job()).isNotNull();
        });

        List<JobInfo> abandoned = client.inspector().list(queue, JobState.ABANDONED, 10);
        assertThat(abandoned).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(p.abandoned.id());
            assertThat(i.attempts()).isEqualTo(1);
            assertThat(i.lastError()).isEqualTo("HTTP 404");
            assertThat(i.stateSince()).as("abandoned at, by Redis's clock").isBetween(p.before, QueueProbe.of(client, queue).serverTime());
            assertThat(i.malformedReason()).isNull();
        });
    }

    @Test
    void theLimitCutsEachListing(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Populated p = populate(client);
        assertThat(client.inspector().list(queue, JobState.READY, 1)).extracting(JobInfo::id).containsExactly(p.retried.id());
        assertThat(client.inspector().list(queue, JobState.DELAYED, 1)).extracting(JobInfo::id).containsExactly(p.delayed.get(0).id());
        assertThat(client.inspector().list(TestJobs.queue("nothing"), JobState.READY, 5)).isEmpty();
        assertThatThrownBy(() -> client.inspector().list(queue, JobState.READY, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void aMissingOrUnreadableJobIsListedWithTheReason(TestRedis redis) {
        JobRunnerClient client = redis.client(clock);
        Job broken = TestJobs.job(queue).build();
        client.producer().push(broken);
        client.redis().hset(client.keys().queue(queue).data(), broken.id(), "{oops");
        client.redis().lpush(client.keys().queue(queue).ready(), "ghost");

        List<JobInfo> ready = client.inspector().list(queue, JobState.READY, 10);
        assertThat(ready).extracting(JobInfo::id).containsExactly(broken.id(), "ghost");
        assertThat(ready.get(0).job()).isNull();
        assertThat(ready.get(0).rawJson()).isEqualTo("{oops");
        assertThat(ready.get(0).malformedReason()).isNotBlank();
        assertThat(ready.get(1).rawJson()).isNull();
        assertThat(ready.get(1).malformedReason()).isEqualTo("job data is missing");
    }

    private record Populated(List<Job> ready, ClaimedJob retried, List<Job> delayed, ClaimedJob claimed, long claimDeadline,
                             ClaimedJob abandoned, long before, List<Long> releaseTimes) {
    }

    /** 3 ready (the first retried once, with an error), 2 delayed, 1 claimed, 1 abandoned. */
    private Populated populate(JobRunnerClient client) {
        long before = QueueProbe.of(client, queue).serverTime();
        client.producer().push(TestJobs.jobs(queue, 3));
        ClaimBatch first = claim(client, queue, 3);
        ClaimedJob retried = first.jobs().get(0);
        ClaimedJob claimed = first.jobs().get(1);
        ClaimedJob abandoned = first.jobs().get(2);
        join(client.consumer().retry(queue, retried.ref(), Duration.ZERO, "timeout")); // ready again, alone
        List<Job> ready = TestJobs.jobs(queue, 2);                           // behind it
        client.producer().push(ready);
        join(client.consumer().abandon(queue, abandoned.ref(), "HTTP 404"));
        List<Job> delayed = List.of(TestJobs.job(queue).delayed(clock, Duration.ofMinutes(1)).build(),
                TestJobs.job(queue).delayed(clock, Duration.ofMinutes(2)).build());
        client.producer().push(delayed);
        QueueProbe probe = QueueProbe.of(client, queue);
        return new Populated(ready, retried, delayed, claimed, first.deadline(), abandoned, before,
                delayed.stream().map(j -> probe.score(JobState.DELAYED, j.id())).toList());
    }
}
