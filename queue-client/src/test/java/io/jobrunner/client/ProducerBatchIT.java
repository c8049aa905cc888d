package io.jobrunner.client;

import io.jobrunner.testing.CommandStats;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.jobrunner.client.TestSupport.ids;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JobProducer} batches: grouped per queue, chunked by the batch size, all or nothing on bad input. */
@ExtendWith(RedisExtension.class)
class ProducerBatchIT {

    private final QueueName mail = TestJobs.queue("mail");
    private final QueueName links = new QueueName("wiki2", "links");
    private final QueueName thumbs = TestJobs.queue("thumbs");

    @Test
    void aBatchAcrossQueuesLargerThanTheBatchSizeIsChunkedPerQueueAndAllJobsLand() {
        try (RunningRedis server = RedisServers.startDedicated();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(server.uri()).withBatchSize(10))) {
            List<Job> batch = new ArrayList<>();
            List<Job> mailJobs = TestJobs.jobs(mail, 35);
            List<Job> linkJobs = TestJobs.jobs(links, 12);
            List<Job> thumbJobs = TestJobs.jobs(thumbs, 3);
            for (int i = 0; i < 35; i++) { // interleaved, as a producer would send them
                batch.add(mailJobs.get(i));
                if (i < 12) {
                    batch.add(linkJobs.get(i));
                }
                if (i < 3) {
                    batch.add(thumbJobs.get(i));
                }
            }

            client.producer().push(TestJobs.job(TestJobs.queue("warmUp")).build()); // loads the scripts: a fresh server has none
            CommandStats before = CommandStats.read(client.redis());
            PushResult result = client.producer().push(batch);
            CommandStats used = CommandStats.read(client.redis()).since(before);

            assertThat(result.pushed()).containsExactlyInAnyOrderElementsOf(ids(batch));
            assertThat(result.duplicates()).isEmpty();
            assertThat(used.calls("sadd")).as("push calls (a SADD in each): 4 + 2 + 1 chunks of <= 10").isEqualTo(7);
            assertThat(used.calls("evalsha")).as("the push calls, which write the stamps too").isEqualTo(7);
            assertThat(used.calls("eval")).isZero();
            assertThat(used.calls("publish")).as("one wake-up per queue that became ready").isEqualTo(3);
            assertThat(client.inspector().counts(List.of(mail, links, thumbs))).containsExactly(
                    new QueueCounts(mail, 35, 0, 0, 0), new QueueCounts(links, 12, 0, 0, 0), new QueueCounts(thumbs, 3, 0, 0, 0));
            assertThat(join(client.registry().readyQueues())).containsKeys(mail, links, thumbs);
            // FIFO per queue survives chunking: chunks of one queue are sent in order on one connection
            assertThat(TestSupport.ids(TestSupport.claim(client, mail, 35))).containsExactlyElementsOf(ids(mailJobs));
        }
    }

    @Test
    void pushingTheSameBatchAgainReportsEveryJobAsDuplicate(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withBatchSize(4), java.time.Clock.systemUTC());
        List<Job> batch = new ArrayList<>(TestJobs.jobs(mail, 9));
        batch.addAll(TestJobs.jobs(links, 2));
        client.producer().push(batch);

        PushResult again = client.producer().push(batch);
        assertThat(again.pushed()).isEmpty();
        assertThat(again.duplicates()).containsExactlyInAnyOrderElementsOf(ids(batch));
        assertThat(client.inspector().counts(mail).ready()).isEqualTo(9);
    }

    @Test
    void aBatchWithOneJobOverThePayloadCapPushesNothing(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> batch = new ArrayList<>(TestJobs.jobs(mail, 5));
        batch.add(TestJobs.job(links).paramsOfSize(JobValidator.DEFAULT_MAX_PAYLOAD_BYTES + 1).build());
        batch.addAll(TestJobs.jobs(thumbs, 5));

        assertThatThrownBy(() -> client.producer().push(batch))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("params"))
                .hasMessageContaining("params").hasMessageContaining(Integer.toString(JobValidator.DEFAULT_MAX_PAYLOAD_BYTES));
        assertThatThrownBy(() -> client.producer().pushAsync(batch)).isInstanceOf(InvalidJobException.class);
        assertThat(redis.keys()).isEmpty();
    }

    @Test
    void aJobExactlyAtThePayloadCapIsAccepted(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Job atCap = TestJobs.job(mail).paramsOfSize(JobValidator.DEFAULT_MAX_PAYLOAD_BYTES).build();
        assertThat(client.producer().push(atCap).pushed()).containsExactly(atCap.id());
        assertThat(TestSupport.claimOne(client, mail).job()).isEqualTo(atCap);
    }

    @Test
    void aCustomPayloadCapFromTheSettingsIsEnforced(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withMaxPayloadBytes(100), java.time.Clock.systemUTC());
        Job atCap = TestJobs.job(mail).paramsOfSize(100).build();
        Job overCap = TestJobs.job(mail).paramsOfSize(101).build();

        assertThatThrownBy(() -> client.producer().push(List.of(atCap, overCap)))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("params"))
                .hasMessageContaining("'<101 bytes>'").hasMessageContaining("at most 100 bytes");
        assertThat(redis.keys()).isEmpty();

        assertThat(client.producer().push(atCap).pushed()).containsExactly(atCap.id());
    }
}
