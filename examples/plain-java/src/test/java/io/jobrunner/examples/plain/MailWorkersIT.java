package io.jobrunner.examples.plain;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the example as written against a real Redis: every mail pushed is sent once, and nothing is left behind. */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class MailWorkersIT {

    @Test
    void everyPushedMailIsSentAndTheQueueIsEmptyAfterTheStop(TestRedis redis) throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        long count = MailWorkers.run(redis.uri(), redis.prefix(), 25, (to, template) -> sent.add(template + " " + to));
        assertThat(count).isEqualTo(25);
        assertThat(sent).hasSize(25).doesNotHaveDuplicates().contains("welcome user0@example.org", "welcome user24@example.org");
        JobRunnerClient client = redis.client();
        assertThat(client.inspector().counts(new QueueName("shop1", "sendMail")).total()).isZero();
    }
}
