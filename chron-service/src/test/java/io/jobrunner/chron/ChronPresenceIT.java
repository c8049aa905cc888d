package io.jobrunner.chron;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.ProcessRecord;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A chron shows in the registry of live processes, saying whether it leads; its gauges carry latency and paused. */
@Timeout(60)
@ExtendWith(RedisExtension.class)
class ChronPresenceIT {

    @Test
    void theLeaderHeartbeatsItsRecordAndRemovesItOnStop(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Chron chron = TestConfigs.chron(client, "lease-ttl = 1s", "interval = 100ms");
        chron.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(chron::isLeader);
            await().atMost(Duration.ofSeconds(15)).until(() -> client.presence().chrons().stream()
                    .anyMatch(c -> Boolean.TRUE.equals(c.leader())));
            List<ProcessRecord> chrons = client.presence().chrons();
            assertThat(chrons).hasSize(1);
            assertThat(chrons.get(0).kind()).isEqualTo("chron");
            assertThat(chrons.get(0).pid()).isEqualTo(ProcessHandle.current().pid());
        } finally {
            chron.stop();
        }
        assertThat(client.presence().chrons()).isEmpty();
    }

    @Test
    void queueGaugesCarryLatencyAndPaused(TestRedis redis) {
        JobRunnerClient client = redis.client();
        QueueName queue = TestJobs.queue("gauged");
        client.producer().push(TestJobs.job(queue).enqueuedAt(System.currentTimeMillis() - 30_000).build());
        client.operations().pause(queue.toString());
        MetricRegistry metrics = new MetricRegistry();
        Chron chron = Chron.create(TestConfigs.config("jobrunner.chron { interval = 100ms, gauges.interval = 100ms }"), client, metrics);
        chron.start();
        try {
            String latency = QueueGauges.queueGauge(ChronMetrics.QUEUE_OLDEST_READY, queue);
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics.getGauges().containsKey(latency));
            await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics, latency) >= 30);
            assertThat(value(metrics, QueueGauges.queueGauge(ChronMetrics.QUEUE_PAUSED, queue))).isEqualTo(1);
        } finally {
            chron.stop();
        }
    }

    private static long value(MetricRegistry metrics, String name) {
        Gauge<?> g = metrics.getGauges().get(name);
        return g == null ? -2 : ((Number) g.getValue()).longValue();
    }
}
