package io.jobrunner.client;

import io.jobrunner.testing.CommandStats;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.jobrunner.testing.TestJobs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis commands per job for push, claim and ack, measured with {@code INFO commandstats} deltas on a Redis of
 * this test's own (a single node). Redis counts the commands a script runs too, so the commands the client sent are
 * {@code evalsha + eval}: on a single node the push script keeps the registry itself (known set, stamp, due
 * index), and the client's other follow-ups ({@code lowerDue} after a claim) are scripts too. A follow-up costs
 * one more sequential round trip. These are counts, not timings.
 */
class RoundTripsIT {

    private static final Logger log = LoggerFactory.getLogger(RoundTripsIT.class);

    private static RunningRedis server;
    private static JobRunnerClient client;

    /** What one measured operation cost. */
    record Cost(String what, int jobs, CommandStats used) {
        long scriptCalls() {
            return used.calls("evalsha") + used.calls("eval");
        }

        long clientCommands() {
            return scriptCalls();
        }

        @Override
        public String toString() {
            return String.format("%-40s jobs=%4d  client commands=%3d (%.4f/job)  script calls=%2d  all commands in Redis=%5d (%.2f/job)",
                    what, jobs, clientCommands(), (double) clientCommands() / jobs, scriptCalls(), used.total(),
                    (double) used.total() / jobs);
        }
    }

    @BeforeAll
    static void start() {
        server = RedisServers.startDedicated();
        client = JobRunnerClient.connect(ClientSettings.of(server.uri()));
        QueueName warmUp = TestJobs.queue("warmUp"); // load every script once: a fresh server answers NOSCRIPT first
        client.producer().push(TestJobs.jobs(warmUp, 2));
        ClaimBatch batch = join(client.consumer().claim(warmUp, 2, TTL));
        join(client.consumer().ack(warmUp, batch.jobs().stream().map(ClaimedJob::ref).toList()));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pushOneJobIntoAnEmptyQueueIsOneScriptCall() {
        Cost cost = measure("push 1 job, queue was empty", 1, TestJobs.queue("p1"),
                q -> client.producer().push(TestJobs.job(q).build()), () -> true);
        assertThat(cost.scriptCalls()).isEqualTo(1); // on one node the script writes the known set and the stamp
        assertThat(cost.used().calls("publish")).as("the wake-up, published by the push script").isEqualTo(1);
        assertThat(cost.used().calls("sadd")).as("the known set, from inside the script").isEqualTo(1);
        assertThat(cost.clientCommands()).isEqualTo(1);
    }

    @Test
    void pushOneJobIntoANonEmptyQueueIsOneScriptCall() {
        QueueName q = TestJobs.queue("p2");
        client.producer().push(TestJobs.job(q).build());
        Cost cost = measure("push 1 job, queue had ready jobs", 1, q, qq -> client.producer().push(TestJobs.job(qq).build()), () -> true);
        assertThat(cost.clientCommands()).isEqualTo(1);
    }

    @Test
    void pushOneDelayedJobIsOneScriptCallAndTheDueIndex() {
        Cost cost = measure("push 1 delayed job", 1, TestJobs.queue("p3"),
                q -> client.producer().push(TestJobs.job(q).releaseAt(java.time.Instant.now().plusSeconds(60)).build()), () -> true);
        assertThat(cost.clientCommands()).isEqualTo(1); // the script lowers the due index itself
        assertThat(cost.used().calls("zadd")).as("the delayed job and the due index").isEqualTo(2);
    }

    @Test
    void aBatchOfAThousandIsTwoScriptCallsAtTheDefaultBatchSize() {
        Cost cost = measure("push batch of 1000 (batch size 500)", 1000, TestJobs.queue("p4"),
                q -> client.producer().push(TestJobs.jobs(q, 1000)), () -> true);
        assertThat(cost.scriptCalls()).isEqualTo(2); // 2 push calls, each keeping the registry itself
        assertThat(cost.clientCommands()).isEqualTo(2);
    }

    @Test
    void claimingABatchIsOneScriptCallThatRecordsItsDeadlineInTheDueIndex() {
        for (int n : new int[]{1, 100}) {
            QueueName q = TestJobs.queue("c" + n);
            client.producer().push(TestJobs.jobs(q, n));
            client.redis().zrem(client.keys().due(), q.toString());
            Cost cost = measure("claim batch of " + n, n, q, qq -> join(client.consumer().claim(qq, n, TTL)), () -> true);
            assertThat(cost.clientCommands()).isEqualTo(1);
            assertThat(client.redis().zscore(client.keys().due(), q.toString())).as("the claim deadline").isNotNull();
        }
    }

    @Test
    void aLaterClaimOfTheSameQueueLowersTheDueIndexOnlyWithAnEarlierDeadline() {
        QueueName q = TestJobs.queue("c-again");
        client.producer().push(TestJobs.jobs(q, 3));
        JobConsumer consumer = client.consumer();
        measure("claim 1", 1, q, qq -> join(consumer.claim(qq, 1, TTL)), () -> true);
        Double recorded = client.redis().zscore(client.keys().due(), q.toString());

        Cost again = measure("claim again, same TTL", 1, q, qq -> join(consumer.claim(qq, 1, TTL)), () -> true);
        assertThat(again.clientCommands()).isEqualTo(1);
        assertThat(client.redis().zscore(client.keys().due(), q.toString())).as("a later deadline: kept").isEqualTo(recorded);

        Cost shorter = measure("claim again, shorter TTL", 1, q, qq -> join(consumer.claim(qq, 1, TTL.dividedBy(4))), () -> true);
        assertThat(shorter.clientCommands()).isEqualTo(1);
        assertThat(client.redis().zscore(client.keys().due(), q.toString())).as("an earlier deadline: lowered").isLessThan(recorded);
    }

    @Test
    void aClaimThatEmptiesTheQueueTakesItOutOfTheReadyRegistryUnderTheStampItWasGiven() {
        QueueName q = TestJobs.queue("c-empty");
        client.producer().push(TestJobs.jobs(q, 2));
        String stamp = join(client.registry().readyQueues()).get(q);
        JobConsumer consumer = client.consumer();
        join(consumer.claim(q, 1, TTL, 0, 1, Duration.ZERO, null, stamp));
        assertThat(join(client.registry().readyQueues())).as("a job is left").containsEntry(q, stamp);
        join(consumer.claim(q, 1, TTL, 0, 1, Duration.ZERO, null, "an-older-stamp"));
        assertThat(join(client.registry().readyQueues())).as("another stamp: kept").containsEntry(q, stamp);

        client.producer().push(TestJobs.job(q).build());
        String fresh = join(client.registry().readyQueues()).get(q);
        Cost cost = measure("claim the last job", 1, q, qq -> join(consumer.claim(qq, 1, TTL, 0, 1, Duration.ZERO, null, fresh)), () -> true);
        assertThat(cost.clientCommands()).as("no follow-up").isEqualTo(1);
        assertThat(join(client.registry().readyQueues())).doesNotContainKey(q);
    }

    @Test
    void ackingABatchIsOneScriptCall() {
        for (int n : new int[]{1, 100}) {
            QueueName q = TestJobs.queue("a" + n);
            client.producer().push(TestJobs.jobs(q, n));
            List<ClaimRef> refs = join(client.consumer().claim(q, n, TTL)).jobs().stream().map(ClaimedJob::ref).toList();
            awaitQuiet();
            Cost cost = measure("ack batch of " + n, n, q, qq -> join(client.consumer().ack(qq, refs)), () -> true);
            assertThat(cost.clientCommands()).isEqualTo(1);
        }
    }

    private interface Operation {
        void run(QueueName queue);
    }

    /** Runs the operation and returns its command counts; {@code settled} null means: wait for a lowerDue to land. */
    private Cost measure(String what, int jobs, QueueName queue, Operation operation, Supplier<Boolean> settled) {
        CommandStats before = CommandStats.read(client.redis());
        operation.run(queue);
        if (settled == null) {
            await().atMost(Duration.ofSeconds(5)).until(() -> CommandStats.read(client.redis()).since(before).calls("evalsha") >= 2);
        }
        Cost cost = new Cost(what, jobs, CommandStats.read(client.redis()).since(before));
        log.info("round trips: {}  {}", cost, cost.used());
        return cost;
    }

    /** Waits until no fire-and-forget follow-up of an earlier claim is still on its way. */
    private void awaitQuiet() {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            CommandStats a = CommandStats.read(client.redis());
            CommandStats b = CommandStats.read(client.redis());
            return b.since(a).total() == 0;
        });
    }
}
