package io.jobrunner.cli;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the README's producer example against a real Redis. */
@ExtendWith(RedisExtension.class)
class ReadmeExampleIT {

    @Test
    void theReadmeExamplePushesItsJobs(TestRedis redis) {
        PushResult first = ReadmeExample.produce(redis.settings());
        assertThat(first.pushed()).hasSize(3);
        assertThat(first.duplicates()).isEmpty();

        PushResult second = ReadmeExample.produce(redis.settings());
        assertThat(second.pushed()).hasSize(2);
        assertThat(second.duplicates()).hasSize(1); // refreshPage waits already

        JobRunnerClient client = redis.client();
        assertThat(client.inspector().counts(new QueueName("shop1", "sendMail")).ready()).isEqualTo(2);
        assertThat(client.inspector().counts(new QueueName("shop1", "sendMail")).delayed()).isEqualTo(2);
        assertThat(client.inspector().counts(new QueueName("shop1", "refreshPage")).ready()).isEqualTo(1);
    }
}
