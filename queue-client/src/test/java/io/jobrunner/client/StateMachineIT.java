package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.claimOne;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job state machine (the state diagram of docs/internals.md), one test per edge. {@link QueueProbe#stateOf}
 * checks at every step that the job is in exactly one state and stored iff it is in one.
 */
@ExtendWith(RedisExtension.class)
class StateMachineIT {

    private static final int MAX_ATTEMPTS = 2;

    private final TestClock clock = new TestClock();
    private final QueueName queue = TestJobs.queue("states");
    private final Job job = TestJobs.job(queue).param("k", "v").build();
    private JobRunnerClient client;
    private QueueProbe probe;

    @BeforeEach
    void connect(TestRedis redis) {
        client = redis.client(clock);
        probe = QueueProbe.of(client, queue);
    }

    @Test
    void pushToReady() {
        assertThat(probe.stateOf(job.id())).isNull();
        client.producer().push(job);
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.READY);
    }

    @Test
    void pushToDelayed() {
        Job delayed = TestJobs.job(queue).delayed(clock, Duration.ofMinutes(1)).build();
        client.producer().push(delayed);
        assertThat(probe.stateOf(delayed.id())).isEqualTo(JobState.DELAYED);
    }

    @Test
    void claimReadyToClaimed() {
        client.producer().push(job);
        ClaimedJob claimed = claimOne(client, queue);
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.CLAIMED);
        assertThat(claimed.attempts()).isEqualTo(1);
    }

    @Test
    void ackClaimedToDeleted() {
        ClaimedJob claimed = pushAndClaim();
        assertThat(join(client.consumer().ack(queue, List.of(claimed.ref()))).acked()).isEqualTo(1);
        assertThat(probe.stateOf(job.id())).isNull();
        assertThat(probe.isEmpty()).isTrue();
    }

    @Test
    void recycleClaimedToReadyWhenTheDeadlinePassed() {
        pushAndClaim();
        probe.age(TTL);
        assertThat(join(client.maintenance().recycle(queue, MAX_ATTEMPTS)).recycled()).isEqualTo(1);
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.READY);
    }

    @Test
    void recycleClaimedToAbandonedWhenOutOfAttempts() {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt == 1) {
                client.producer().push(job);
            }
            claimOne(client, queue);
            probe.age(TTL);
            join(client.maintenance().recycle(queue, MAX_ATTEMPTS));
        }
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.ABANDONED);
        assertThat(probe.lastError(job.id())).contains("out of attempts");
    }

    @Test
    void releaseRetryClaimedToDelayed() {
        ClaimedJob claimed = pushAndClaim();
        join(client.consumer().retry(queue, claimed.ref(), Duration.ofSeconds(5), "retry me"));
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.DELAYED);
    }

    @Test
    void releaseRetryNowClaimedToReady() {
        ClaimedJob claimed = pushAndClaim();
        join(client.consumer().retry(queue, claimed.ref(), Duration.ZERO, "retry now"));
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.READY);
        assertThat(probe.attempts(job.id())).isEqualTo(1);
    }

    @Test
    void releaseAbandonClaimedToAbandoned() {
        ClaimedJob claimed = pushAndClaim();
        join(client.consumer().abandon(queue, claimed.ref(), "permanent"));
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.ABANDONED);
    }

    @Test
    void requeueClaimedToReadyWithoutCountingTheAttempt() {
        ClaimedJob claimed = pushAndClaim();
        join(client.consumer().requeue(queue, claimed.ref()));
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.READY);
        assertThat(probe.attempts(job.id())).isZero();
    }

    @Test
    void promoteDelayedToReadyAtTheReleaseTime() {
        Job delayed = TestJobs.job(queue).delayed(clock, Duration.ofMinutes(1)).build();
        client.producer().push(delayed);
        probe.age(Duration.ofMinutes(1));
        assertThat(join(client.maintenance().promote(queue)).promoted()).isEqualTo(1);
        assertThat(probe.stateOf(delayed.id())).isEqualTo(JobState.READY);
    }

    @Test
    void pruneAbandonedToDeletedAfterTheRetention() {
        ClaimedJob claimed = pushAndClaim();
        join(client.consumer().abandon(queue, claimed.ref(), "permanent"));
        probe.age(Duration.ofDays(7));
        join(client.maintenance().prune(queue, Duration.ofDays(7), Duration.ofDays(7)));
        assertThat(probe.stateOf(job.id())).isNull();
        assertThat(probe.isEmpty()).isTrue();
    }

    @Test
    void retryAbandonedToReadyWithAttemptsReset() {
        ClaimedJob claimed = pushAndClaim();
        join(client.consumer().abandon(queue, claimed.ref(), "permanent"));
        assertThat(client.maintenance().retryAbandoned(queue, List.of(job.id()))).isEqualTo(1);
        assertThat(probe.stateOf(job.id())).isEqualTo(JobState.READY);
        assertThat(probe.attempts(job.id())).isZero();
    }

    private ClaimedJob pushAndClaim() {
        client.producer().push(job);
        ClaimedJob claimed = claimOne(client, queue);
        assertThat(claimed.id()).isEqualTo(job.id());
        return claimed;
    }
}
