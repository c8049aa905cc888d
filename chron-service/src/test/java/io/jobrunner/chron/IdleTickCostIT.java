package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.CommandStats;
import io.jobrunner.testing.QueueProbe;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.jobrunner.testing.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a chron costs Redis, counted with INFO commandstats on a Redis of its own (not timed): a tick when nothing
 * is due must not grow with the number of known queues; a repair pass forgets a page of empty queues with one
 * SREM; a catch-up tick over many due queues works each once.
 */
class IdleTickCostIT {

    private static final int QUEUES = 10_000;
    private static final int TICKS = 20;
    private static final int CATCH_UP_QUEUES = 2_000;

    private static RunningRedis server;
    private static ClientSettings settings;
    private static JobRunnerClient client;
    private static JobRunnerClient stats;

    @BeforeAll
    static void startRedis() {
        server = RedisServers.startDedicated();
        settings = ClientSettings.of(server.uri()).withPrefix("cost");
        client = JobRunnerClient.connect(settings);
        stats = JobRunnerClient.connect(settings);
    }

    @BeforeEach
    void emptyRedis() {
        client.redis().flushall();
    }

    @AfterAll
    static void stopRedis() {
        if (client != null) {
            client.close();
        }
        if (stats != null) {
            stats.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anIdleTickCostsTheSameWithTenThousandEmptyQueues() {
        knowEmptyQueues(QUEUES);
        // and a thousand more queues each waiting on a job delayed for an hour: known and in the due index, not yet due
        List<CompletableFuture<PushResult>> pushes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pushes.add(client.producer().pushAsync(List.of(Job.of("later").inDomain("w" + i).releaseAt(Instant.now().plusSeconds(3600)))));
        }
        pushes.forEach(CompletableFuture::join);
        assertThat(client.redis().scard(client.keys().queues())).isEqualTo(QUEUES + 1000);
        assertThat(client.redis().zcard(client.keys().due())).isEqualTo(1000);

        DueDuty tick = new DueDuty(client, TestConfigs.limits().attempts(), TestConfigs.settings(),
                new ChronMetrics(new MetricRegistry()));
        tick.run(() -> true); // loads the due-read script
        CommandStats before = commandStats();
        for (int i = 0; i < TICKS; i++) {
            assertThat(tick.run(() -> true)).containsEntry("queues", 0L);
            tick.nextDelay();
        }
        CommandStats calls = commandStats().since(before);

        System.out.printf("idle tick with %d empty known queues (+1000 not yet due): %.1f Redis commands per tick %s%n",
                QUEUES, (double) calls.total() / TICKS, calls);
        // the due read (EVALSHA, running TIME and ZRANGEBYSCORE), ZRANGE 0 0 for the next due time
        assertThat(calls.total()).isEqualTo(4L * TICKS);
        assertThat(calls.asMap()).containsOnlyKeys("evalsha", "time", "zrangebyscore", "zrange");
    }

    @Test
    void repairCostFollowsTheQueuesThatHoldJobs() {
        knowEmptyQueues(QUEUES);
        RegistryRepair repair = new RegistryRepair(client, TestConfigs.settings(), new ChronMetrics(new MetricRegistry()));

        CommandStats before = commandStats();
        Map<String, Long> first = repair.run(() -> true);
        CommandStats firstCalls = commandStats().since(before);
        before = commandStats();
        Map<String, Long> second = repair.run(() -> true);
        CommandStats secondCalls = commandStats().since(before);

        System.out.printf("repair: first pass over %d empty known queues %d commands (%s) %s; next pass %d commands %s%n",
                QUEUES, firstCalls.total(), first, firstCalls, secondCalls.total(), secondCalls);
        assertThat(first).containsEntry(RegistryRepair.KNOWN_REMOVED, (long) QUEUES);
        assertThat(client.redis().scard(client.keys().queues())).isZero();
        assertThat(firstCalls.calls("srem")).as("one SREM per page of empty queues").isPositive()
                .isLessThanOrEqualTo(firstCalls.calls("sscan"));
        assertThat(firstCalls.calls("exists")).as("the page read's and the re-check after the SREM").isEqualTo(2L * QUEUES);
        assertThat(firstCalls.calls("sadd")).as("none added back: no push raced").isZero();
        assertThat(second).doesNotContainKey("repaired");
        assertThat(secondCalls.total()).as("SSCAN of an empty set, HSCAN of an empty hash, a SCAN step of the sweep")
                .isLessThanOrEqualTo(3);
    }

    @Test
    void aCatchUpTickWorksEachDrainedQueueOnce() {
        TestClock clock = new TestClock(Instant.now()); // the real time now: stored times look ordinary
        try (JobRunnerClient chron = JobRunnerClient.connect(settings, clock)) {
            leaveDrained(chron, CATCH_UP_QUEUES, Duration.ofMinutes(1));
            chron.maintenance().workDue(new QueueName("warm", "up"), 3); // loads the recycle and promote scripts
            QueueProbe.ageAll(chron, Duration.ofMinutes(1).plusMillis(1));
            DueDuty tick = new DueDuty(chron, TestConfigs.limits().attempts(), TestConfigs.settings(),
                    new ChronMetrics(new MetricRegistry()));

            CommandStats before = commandStats();
            Map<String, Long> counts = tick.run(() -> true);
            CommandStats calls = commandStats().since(before);

            System.out.printf("catch-up tick over %d drained queues: %d commands %s%n", CATCH_UP_QUEUES, calls.total(), calls);
            assertThat(counts).containsEntry("queues", (long) CATCH_UP_QUEUES).doesNotContainKeys("recycled", "abandoned", "promoted");
            assertThat(client.redis().zcard(client.keys().due())).as("nothing claimed or delayed: all out of the index").isZero();
            assertThat(calls.calls("evalsha")).as("one recycle and one promote call per queue, and the index reads")
                    .isEqualTo(2L * CATCH_UP_QUEUES + CATCH_UP_QUEUES / 500 + 1);
            assertThat(calls.calls("zrem")).as("each out of the index once").isEqualTo(CATCH_UP_QUEUES);
            assertThat(calls.calls("zadd") + calls.calls("sadd") + calls.calls("hset")).as("none put back or marked ready").isZero();
            assertThat(calls.calls("zrangebyscore")).as("two in the scripts per queue; the index read in pages of due-batch")
                    .isEqualTo(2L * CATCH_UP_QUEUES + CATCH_UP_QUEUES / 500 + 1);
            assertThat(tick.run(() -> true)).containsEntry("queues", 0L);
        }
    }

    /** One job pushed into each of {@code n} queues, claimed and acked: each queue's due entry is its claim deadline. */
    private static void leaveDrained(JobRunnerClient on, int n, Duration claimTtl) {
        List<Job> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            jobs.add(Job.of("drained").inDomain("tenant" + i));
        }
        on.producer().push(jobs);
        JobConsumer consumer = on.consumer();
        List<CompletableFuture<?>> pending = new ArrayList<>(n);
        for (Job job : jobs) {
            QueueName q = job.queue();
            pending.add(consumer.claim(q, 1, claimTtl).thenCompose((ClaimBatch b) ->
                    consumer.ack(q, b.jobs().stream().map(ClaimedJob::ref).toList())));
        }
        pending.forEach(CompletableFuture::join);
        await().atMost(Duration.ofSeconds(10)).until(() -> on.redis().zcard(on.keys().due()) == n);
    }

    private static void knowEmptyQueues(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("tenant" + i + "/idle");
        }
        for (int from = 0; from < n; from += 1000) {
            client.redis().sadd(client.keys().queues(), names.subList(from, from + 1000).toArray(String[]::new));
        }
    }

    private static CommandStats commandStats() {
        return CommandStats.read(stats.redis());
    }
}
