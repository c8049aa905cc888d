package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job whose stored JSON cannot be read (written by hand, a bug, a newer incompatible producer) is claimed
 * like any other, flagged with a reason, and can be abandoned with that reason: never lost, never retried forever.
 */
@ExtendWith(RedisExtension.class)
class MalformedJobIT {

    private final QueueName queue = TestJobs.queue("malformed");

    @ParameterizedTest
    @ValueSource(strings = {"this is {not json", "", "[1,2,3]", "null", "{\"params\":5,\"enqueuedAt\":1}",
            "{\"params\":{},\"enqueuedAt\":0}", "{\"params\":{}}"})
    void aJobWhoseJsonCannotBeReadIsClaimedFlaggedAndCanBeAbandoned(String garbage, TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job before = TestJobs.job(queue).build();
        Job broken = TestJobs.job(queue).build();
        Job after = TestJobs.job(queue).build();
        client.producer().push(List.of(before, broken, after));
        client.redis().hset(client.keys().queue(queue).data(), broken.id(), garbage);

        ClaimBatch batch = claim(client, queue, 10);

        assertThat(batch.jobs()).extracting(ClaimedJob::id).containsExactly(before.id(), broken.id(), after.id());
        ClaimedJob flagged = batch.jobs().get(1);
        assertThat(flagged.isMalformed()).isTrue();
        assertThat(flagged.job()).isNull();
        assertThat(flagged.rawJson()).isEqualTo(garbage);
        assertThat(flagged.malformedReason()).isNotBlank();
        assertThat(flagged.attempts()).isEqualTo(1);
        assertThat(batch.jobs().get(0).isMalformed()).isFalse();
        assertThat(batch.jobs().get(2).isMalformed()).isFalse();

        QueueProbe probe = QueueProbe.of(client, queue);
        assertThat(probe.stateOf(broken.id())).isEqualTo(JobState.CLAIMED);

        assertThat(join(client.consumer().abandon(queue, flagged.ref(), "malformed job: " + flagged.malformedReason()))).isTrue();
        assertThat(probe.stateOf(broken.id())).isEqualTo(JobState.ABANDONED);
        List<JobInfo> abandoned = client.inspector().list(queue, JobState.ABANDONED, 10);
        assertThat(abandoned).singleElement().satisfies(info -> {
            assertThat(info.id()).isEqualTo(broken.id());
            assertThat(info.lastError()).startsWith("malformed job: ").contains(flagged.malformedReason());
            assertThat(info.rawJson()).isEqualTo(garbage);
            assertThat(info.malformedReason()).isNotBlank();
        });
    }
}
