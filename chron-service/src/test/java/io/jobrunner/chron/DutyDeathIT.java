package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A duty killed by an Error does not die silently: its loop hands the Error on, so the chron gives up leadership. */
@ExtendWith(RedisExtension.class)
class DutyDeathIT {

    @Test
    void anErrorInADutyReachesTheChronAndTheLoopEnds(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        ChronSettings settings = TestConfigs.settings("lease-ttl = 30s");
        ChronMetrics metrics = new ChronMetrics(new MetricRegistry());
        LeaderLease lease = new LeaderLease(client.lease(client.keys().chronLease()), client.redisAsync(), settings, client.clock(),
                System::nanoTime, metrics, client.health());
        lease.step();
        assertThat(lease.isLeader()).isTrue();
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        Duty broken = new Duty() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Map<String, Long> run(BooleanSupplier stillLeader) {
                throw new StackOverflowError("duty went too deep");
            }

            @Override
            public Duration nextDelay() {
                return Duration.ofMillis(10);
            }
        };
        DutyLoop loop = new DutyLoop(broken, lease, metrics, client.clock(), Duration.ofMillis(10), (thread, e) -> died.complete(e));
        loop.start();

        assertThat(died.get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(StackOverflowError.class);
        lease.release();
    }

    @Test
    void aChronWhoseThreadDiedIsUnhealthyAndReleasesTheLease(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        try (Chron chron = Chron.create(TestConfigs.settings("lease-ttl = 30s"), TestConfigs.limits(), client, new MetricRegistry())) {
            chron.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(chron::isLeader);

            chron.threadDied(new Thread("chron-due"), new OutOfMemoryError("simulated")); // as the duty thread's uncaught handler would

            assertThat(chron.failure().get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("OutOfMemoryError");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.redis().get(client.keys().chronLease()) == null);
            assertThat(chron.isHealthy()).isFalse();
            assertThat(chron.isLeader()).isFalse();
            assertThat(chron.status().failure()).contains("simulated");
        }
    }
}
