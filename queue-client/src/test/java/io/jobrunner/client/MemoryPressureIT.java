package io.jobrunner.client;

import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.jobrunner.testing.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Redis at {@code maxmemory} with {@code noeviction} (as recommended) refuses writes that may grow memory. What
 * delivery needs keeps working: heartbeats (no healthy claim expires), acks, releases, claims and started marks
 * (runners drain the queues, which frees memory), recycling of a dead runner's claims with the registry entries
 * that let runners find them, promotion, the chron's lease. Pushes fail at once with
 * {@link ErrorCode#REDIS_OUT_OF_MEMORY}, storing nothing. Bound: 0 jobs lost, 0 run twice. On a Redis of its own:
 * the test sets {@code maxmemory} below what Redis uses.
 */
class MemoryPressureIT {

    private final QueueName queue = TestJobs.queue("oom");
    private RunningRedis server;
    private JobRunnerClient client;

    @BeforeEach
    void start() {
        server = RedisServers.startDedicated();
        client = JobRunnerClient.connect(ClientSettings.of(server.uri()).withPrefix("oom"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void deliveryGoesOnAndPushesFailFastWhileRedisRefusesWritesForMemory() {
        List<Job> jobs = TestJobs.jobs(queue, 4);
        client.producer().push(jobs);
        Job delayed = TestJobs.job(queue).releaseAt(java.time.Instant.now().plus(Duration.ofMinutes(10))).build();
        client.producer().push(delayed);
        ClaimedJob dead = join(client.consumer().claim(queue, 1, TTL, 3, 1)).jobs().get(0);     // its runner dies
        ClaimBatch healthy = join(client.consumer().claim(queue, 2, TTL, 3, 1));                  // a live runner's
        client.lease(client.keys().chronLease()).tryAcquire(Duration.ofSeconds(10));              // a chron that dies
        QueueProbe probe = QueueProbe.of(client, queue);
        probe.age(TTL.plusSeconds(1)); // the dead runner's claim expired, and the live one's heartbeat is due

        client.redis().configSet("maxmemory-policy", "noeviction");
        client.redis().configSet("maxmemory", "1");
        try {
            Throwable refused = catchThrowable(() -> client.producer().push(TestJobs.job(queue).build()));
            assertThat(refused).isInstanceOfSatisfying(JobQueueException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.REDIS_OUT_OF_MEMORY);
                assertThat(e.getMessage()).contains("push.lua").contains("maxmemory");
            });
            assertThat(ErrorCode.isOutOfMemory(refused)).isTrue();
            assertThat(client.inspector().counts(queue).total()).as("nothing stored").isEqualTo(5);

            List<ClaimRef> live = healthy.jobs().stream().map(ClaimedJob::ref).toList();
            assertThat(join(client.consumer().extend(queue, TTL, live))).as("heartbeats land").isEmpty();
            assertThat(probe.score(JobState.CLAIMED, live.get(0).id())).isGreaterThan(probe.serverTime());
            assertThat(join(client.consumer().markStarted(queue, live.get(1)))).isTrue();
            assertThat(join(client.consumer().ack(queue, List.of(live.get(0)))).acked()).as("acks land").isEqualTo(1);
            assertThat(join(client.consumer().retry(queue, live.get(1), Duration.ofMinutes(5), "503"))).as("releases land").isTrue();

            QueueMaintenance.DueWork work = client.maintenance().workDue(queue, 3);
            assertThat(work.recycled()).as("the dead runner's claim comes back").isEqualTo(1);
            assertThat(join(client.registry().readyQueues())).as("and runners can find it").containsKey(queue);
            assertThat(client.redis().zscore(client.keys().due(), queue.toString())).as("still indexed").isNotNull();

            ClaimBatch drained = join(client.consumer().claim(queue, 10, TTL, 3, 1));
            assertThat(drained.jobs()).extracting(ClaimedJob::id).as("runners keep draining")
                    .containsExactly(dead.id(), jobs.get(3).id());
            assertThat(join(client.consumer().ack(queue, drained.jobs().stream().map(ClaimedJob::ref).toList())).acked()).isEqualTo(2);

            client.redis().configSet("maxmemory", "0"); // the test's ageing of stored times is plain ZADDs
            probe.age(Duration.ofMinutes(20));
            client.redis().configSet("maxmemory", "1");
            assertThat(join(client.maintenance().promote(queue)).promoted()).as("promotion goes on").isEqualTo(2);

            client.redis().del(client.keys().chronLease()); // the old leader's lease expired
            assertThat(client.lease(client.keys().chronLease()).tryAcquire(Duration.ofSeconds(10))).as("a new chron can lead").isTrue();
        } finally {
            client.redis().configSet("maxmemory", "0");
        }
        assertThat(client.producer().push(TestJobs.job(queue).build()).pushed()).as("pushes work again").hasSize(1);
        assertThat(client.inspector().counts(queue)).as("0 lost: the delayed job and the retried one, and the new one")
                .isEqualTo(new QueueCounts(queue, 3, 0, 0, 0));
    }
}
