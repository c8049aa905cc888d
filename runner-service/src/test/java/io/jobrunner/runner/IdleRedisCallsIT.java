package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No busy polling: an idle runner makes a small, bounded number of Redis calls per second whatever its slot
 * count (measured with INFO commandstats on a Redis of its own).
 */
@Timeout(120)
class IdleRedisCallsIT {

    private static final long MEASURE_MILLIS = 3000;

    @Test
    void anIdleRunnerMakesFewRedisCallsWhateverItsSlotCount() throws Exception {
        try (RunningRedis server = RedisServers.startDedicated();
             JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(server.uri()).withPrefix("idle"))) {
            double one = callsPerSecond(client, 1);
            double many = callsPerSecond(client, 64);
            System.out.printf("idle runner Redis calls per second: 1 slot %.2f, 64 slots %.2f (refresh-interval 1s)%n", one, many);
            assertThat(many).isLessThanOrEqualTo(2.0);
            assertThat(many).isLessThanOrEqualTo(one + 0.5);
        }
    }

    private static double callsPerSecond(JobRunnerClient client, int slots) throws InterruptedException {
        Runner runner = Runner.create(RunnerConfigs.of("""
                jobrunner.runner {
                  refresh-interval = 1s
                  groups { a { slots = %d, types = ["a*"] }, b { slots = %d, types = ["*"], exclude = ["a*"], low-priority = ["low"] } }
                }
                """.formatted((slots + 1) / 2, Math.max(1, slots / 2))), client, new MetricRegistry(), ExecutorLookup.none());
        runner.start();
        try {
            Thread.sleep(300); // let start-up calls settle
            Map<String, Long> before = commandCalls(client);
            Thread.sleep(MEASURE_MILLIS); // the measurement window itself
            Map<String, Long> after = commandCalls(client);
            long calls = 0;
            Map<String, Long> delta = new HashMap<>();
            for (Map.Entry<String, Long> e : after.entrySet()) {
                long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                if (d > 0 && !e.getKey().equals("info")) {
                    delta.put(e.getKey(), d);
                    calls += d;
                }
            }
            System.out.printf("  %d slots: %d calls in %d ms: %s%n", slots, calls, MEASURE_MILLIS, delta);
            return calls * 1000.0 / MEASURE_MILLIS;
        } finally {
            runner.stop();
        }
    }

    private static Map<String, Long> commandCalls(JobRunnerClient client) {
        Map<String, Long> out = new HashMap<>();
        for (String line : client.redis().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
                out.put(name, Long.parseLong(calls));
            }
        }
        return out;
    }
}
