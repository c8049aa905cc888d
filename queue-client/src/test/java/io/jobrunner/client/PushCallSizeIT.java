package io.jobrunner.client;

import io.jobrunner.testing.CommandStats;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One push call carries at most {@link ClientSettings#MAX_PUSH_CALL_BYTES} of job JSON (a larger job goes alone),
 * so one huge batch never comes near Redis's limits on one request and cannot make Redis drop the connection every
 * thread shares; {@code max-payload} is capped at {@link ClientSettings#MAX_PAYLOAD_CAP}.
 */
@ExtendWith(RedisExtension.class)
class PushCallSizeIT {

    @Test
    void aBatchOfLargeJobsIsCutByBytesAsWellAsCount(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withMaxPayloadBytes(4 << 20), java.time.Clock.systemUTC());
        QueueName queue = TestJobs.queue("large");
        List<Job> jobs = TestJobs.job(queue).paramsOfSize(3 << 20).build(5); // 15 MiB: 8 MiB a call takes two each

        CommandStats before = CommandStats.read(client.redis());
        PushResult result = client.producer().push(jobs);
        CommandStats used = CommandStats.read(client.redis()).since(before);

        assertThat(result.pushed()).hasSize(5);
        assertThat(used.calls("sadd")).as("push calls (a SADD ahead of each): 2 + 2 + 1 jobs").isEqualTo(3);
        assertThat(client.inspector().counts(queue).ready()).isEqualTo(5);
    }

    @Test
    void maxPayloadIsCappedWellBelowRedisRequestLimits() {
        ClientSettings settings = ClientSettings.of("redis://127.0.0.1:1");
        assertThat(settings.withMaxPayloadBytes(ClientSettings.MAX_PAYLOAD_CAP).maxPayloadBytes()).isEqualTo(16 << 20);
        assertThatThrownBy(() -> settings.withMaxPayloadBytes(ClientSettings.MAX_PAYLOAD_CAP + 1))
                .hasMessageContaining("max payload").hasMessageContaining("16MiB");
    }
}
