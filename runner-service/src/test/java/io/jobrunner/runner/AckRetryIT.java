package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acks that fail while Redis is away are tried again while their claims are ours and land once it is back; acks
 * whose claims passed their fence are given up (the chron recycles them). Idle queues leave no ack state behind.
 */
@Timeout(60)
class AckRetryIT {

    private static final QueueName QUEUE = new QueueName("default", "acked");

    @TempDir
    Path dir;

    @Test
    void anAckThatFailsDuringABlipLandsAfterItAndTheQueueStateIsDropped() throws Exception {
        try (RedisProcess redis = RedisProcess.onFreePort(dir, "--appendonly", "yes", "--appendfsync", "always").start();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(redis.uri())
                     .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            Rig rig = new Rig(client);
            client.producer().push(List.of(Job.of(QUEUE.type()), Job.of(QUEUE.type())));
            List<ClaimedJob> jobs = rig.claim(Duration.ofSeconds(20));

            redis.kill9();
            jobs.forEach(j -> rig.acks.ack(QUEUE, j.ref()));
            await().atMost(Duration.ofSeconds(10)).until(() -> rig.metrics.outcomeRetries.getCount() >= 1);
            redis.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> rig.inFlight.count() == 0);
            assertThat(client.inspector().counts(QUEUE).total()).as("both acked after the blip").isZero();
            assertThat(rig.acks.queuesHeld()).as("no state kept for an idle queue").isZero();
            assertThat(rig.heartbeat.heldCount()).isZero();
        }
    }

    @Test
    void anAckIsGivenUpAtTheClaimsFence() throws Exception {
        try (RedisProcess redis = RedisProcess.onFreePort(dir).start();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(redis.uri())
                     .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            Rig rig = new Rig(client);
            client.producer().push(Job.of(QUEUE.type()));
            List<ClaimedJob> jobs = rig.claim(Duration.ofSeconds(2));

            redis.kill9();
            rig.acks.ack(QUEUE, jobs.get(0).ref());

            await().atMost(Duration.ofSeconds(10)).until(() -> rig.inFlight.count() == 0); // given up within the 2 s TTL
            assertThat(rig.heartbeat.heldCount()).isZero();
            assertThat(rig.metrics.outcomeRetries.getCount()).isPositive();
        }
    }

    /** An ack batcher with its heartbeat (not started: the claims are held, not extended) and retries. */
    private static final class Rig {
        final JobConsumer consumer;
        final RunnerMetrics metrics = new RunnerMetrics(new MetricRegistry());
        final InFlight inFlight = new InFlight();
        final ClaimHeartbeat heartbeat;
        final AckBatcher acks;

        Rig(JobRunnerClient client) {
            consumer = client.consumer();
            heartbeat = new ClaimHeartbeat(consumer, ClusterCaps.none(), metrics, new ClaimBuffer(), Duration.ofSeconds(2), Duration.ZERO,
                    Duration.ofSeconds(2), stale -> { });
            acks = new AckBatcher(consumer, inFlight, metrics, new OutcomeRetries(heartbeat), refs -> refs.forEach(heartbeat::drop));
        }

        List<ClaimedJob> claim(Duration ttl) {
            long sent = System.nanoTime();
            List<ClaimedJob> jobs = consumer.claim(QUEUE, 10, ttl).join().jobs();
            jobs.forEach(j -> heartbeat.hold(j, ttl, sent));
            return jobs;
        }
    }
}
