package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisExtension.class)
class SmokeIT {

    @Test
    void pushClaimAck(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job job = Job.of("sendMail", JsonNodeFactory.instance.objectNode().put("to", "a@example.org")).inDomain("wiki1");

        PushResult pushed = client.producer().push(job);
        assertThat(pushed.pushed()).containsExactly(job.id());
        assertThat(client.registry().readyQueues().join()).containsKey(job.queue());

        ClaimBatch batch = client.consumer().claim(job.queue(), 10, Duration.ofSeconds(60)).join();
        assertThat(batch.jobs()).hasSize(1);
        ClaimedJob claimed = batch.jobs().get(0);
        assertThat(claimed.job()).isEqualTo(job);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(batch.remaining()).isZero();

        AckResult ack = client.consumer().ack(job.queue(), List.of(claimed.ref())).join();
        assertThat(ack.acked()).isEqualTo(1);
        assertThat(client.inspector().counts(job.queue()).total()).isZero();
    }
}
