package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a chron costs Redis when nothing is due, counted with INFO commandstats on a Redis of its own (not timed):
 * a tick must not grow with the number of known queues.
 */
class IdleTickCostIT {

    private static final int QUEUES = 10_000;
    private static final int TICKS = 20;

    private static RunningRedis server;
    private static JobRunnerClient client;
    private static JobRunnerClient stats;

    @BeforeAll
    static void startRedis() {
        server = RedisServers.startDedicated();
        ClientSettings settings = ClientSettings.of(server.uri()).withPrefix("cost");
        client = JobRunnerClient.connect(settings);
        stats = JobRunnerClient.connect(settings);
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

        RecycleAndPromote tick = new RecycleAndPromote(client, TestConfigs.limits().attempts(), TestConfigs.settings(),
                new ChronMetrics(new MetricRegistry()));
        resetStats();
        for (int i = 0; i < TICKS; i++) {
            assertThat(tick.run(() -> true)).containsEntry("queues", 0L);
            tick.nextDelay();
        }
        Map<String, Long> calls = commandStats();

        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("idle tick with %d empty known queues (+1000 not yet due): %.1f Redis commands per tick %s%n",
                QUEUES, (double) total / TICKS, calls);
        assertThat(total).isEqualTo(2L * TICKS); // ZRANGEBYSCORE for due queues, ZRANGE 0 0 for the next due time
        assertThat(calls).containsOnlyKeys("zrangebyscore", "zrange");
    }

    @Test
    void repairCostFollowsTheQueuesThatHoldJobs() {
        client.redis().flushall();
        knowEmptyQueues(QUEUES);
        RegistryRepair repair = new RegistryRepair(client, TestConfigs.settings(), new ChronMetrics(new MetricRegistry()));

        resetStats();
        Map<String, Long> first = repair.run(() -> true);
        long firstPass = commandStats().values().stream().mapToLong(Long::longValue).sum();
        resetStats();
        Map<String, Long> second = repair.run(() -> true);
        Map<String, Long> secondCalls = commandStats();
        long secondPass = secondCalls.values().stream().mapToLong(Long::longValue).sum();

        System.out.printf("repair: first pass over %d empty known queues %d commands (%s); next pass %d commands %s%n",
                QUEUES, firstPass, first, secondPass, secondCalls);
        assertThat(first).containsEntry(RegistryRepair.KNOWN_REMOVED, (long) QUEUES);
        assertThat(client.redis().scard(client.keys().queues())).isZero();
        assertThat(second).doesNotContainKey("repaired");
        assertThat(secondPass).as("SSCAN of an empty set and HSCAN of an empty hash").isLessThanOrEqualTo(2);
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

    private static void resetStats() {
        stats.redis().configResetstat();
    }

    /** Calls per command since the last reset, without the statistics commands themselves. */
    private static Map<String, Long> commandStats() {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (String line : stats.redis().info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String command = line.substring("cmdstat_".length(), line.indexOf(':'));
            if (command.equals("info") || command.startsWith("config")) { // Redis 7 names it config|resetstat
                continue;
            }
            for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                if (field.startsWith("calls=")) {
                    calls.put(command, Long.parseLong(field.substring("calls=".length())));
                }
            }
        }
        return calls;
    }
}
