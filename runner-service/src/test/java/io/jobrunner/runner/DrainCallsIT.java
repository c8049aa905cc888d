package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Draining a backlog costs well under one script call per job: claims are batched and acks coalesced
 * (counted with INFO commandstats on a Redis of its own, where commands run inside scripts count too; prints
 * the figures, asserts only on call counts).
 */
@Timeout(120)
class DrainCallsIT {

    @Test
    void drainingABacklogBatchesClaimsAndCoalescesAcks() {
        int jobs = 20_000;
        try (RunningRedis server = RedisServers.startDedicated();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(server.uri()).withPrefix("drain"))) {
            List<Job> batch = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                batch.add(Job.of(i % 2 == 0 ? "a" : "b").inDomain("d" + (i % 4)));
            }
            client.producer().push(batch);
            RecordingExecutor executor = RecordingExecutor.succeeding();
            Runner runner = Runner.create(RunnerConfigs.of("jobrunner.runner.groups.all { slots = 8, types = [\"*\"] }"),
                    client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)));
            Map<String, Long> before = commandCalls(client);
            long t0 = System.nanoTime();

            RunSummary summary = runner.runBounded(RunBounds.untilEmpty());

            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Long> delta = delta(before, commandCalls(client));
            long scripts = delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
            System.out.printf("drained %d no-op jobs with 8 slots in %.2f s (%.0f jobs/s): %.3f script calls per job; "
                            + "commands (in scripts included) %s%n", jobs, seconds, jobs / seconds, (double) scripts / jobs, delta);
            assertThat(summary.succeeded()).isEqualTo(jobs);
            assertThat(executor.runsById).hasSize(jobs);
            assertThat((double) scripts / jobs).isLessThan(0.5);
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new HashMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0 && !k.equals("info")) {
                out.put(k, d);
            }
        });
        return out;
    }

    static Map<String, Long> commandCalls(JobRunnerClient client) {
        Map<String, Long> out = new HashMap<>();
        for (String line : client.redis().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int at = line.indexOf("calls=") + 6;
                out.put(name, Long.parseLong(line.substring(at, line.indexOf(',', at))));
            }
        }
        return out;
    }
}
