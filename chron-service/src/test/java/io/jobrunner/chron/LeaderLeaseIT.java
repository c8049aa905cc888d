package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The lease's timing rules, stepped by hand on a fake monotonic ticker against a real Redis key. */
@ExtendWith(RedisExtension.class)
class LeaderLeaseIT {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MetricRegistry metrics = new MetricRegistry();
    private JobRunnerClient client;
    private ChronSettings settings;

    @BeforeEach
    void setUp(TestRedis redis) {
        client = redis.client();
        settings = TestConfigs.settings("lease-ttl = 30s"); // the real key outlives the test
    }

    private LeaderLease lease() {
        return new LeaderLease(client.lease(client.keys().chronLease()), client.redisAsync(), settings, client.clock(), nanos::get,
                new ChronMetrics(metrics), client.health());
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void leadershipLastsFourFifthsOfTheLeaseAfterTheLastRenewalWasSent() {
        LeaderLease lease = lease();
        assertThat(lease.isLeader()).isFalse();

        assertThat(lease.step()).as("next: a renewal a third of the lease later").isEqualTo(10_000);
        assertThat(lease.isLeader()).isTrue();
        assertThat(client.redis().get(client.keys().chronLease())).isEqualTo(lease.token());

        advance(Duration.ofSeconds(24).minusNanos(1));
        assertThat(lease.isLeader()).isTrue();
        advance(Duration.ofNanos(1));
        assertThat(lease.isLeader()).as("no renewal for 24 s of a 30 s lease: stop working").isFalse();

        lease.step(); // the key is still ours: the renewal succeeds
        assertThat(lease.isLeader()).isTrue();
        assertThat(metrics.meter("jobrunner_chron_lease_acquired").getCount()).isEqualTo(2);
    }

    @Test
    void aStandbyWaitsForTheHoldersLeaseToExpire() {
        LeaderLease leader = lease();
        LeaderLease standby = lease();
        leader.step();

        long wait = standby.step();

        assertThat(standby.isLeader()).isFalse();
        assertThat(wait).as("at most a third of the lease").isBetween(1L, 10_000L);
        client.redis().pexpire(client.keys().chronLease(), 300);
        assertThat(standby.step()).as("until the holder's key expires").isLessThanOrEqualTo(300 + 1 + 50);
    }

    @Test
    void aRenewalThatFindsTheKeyTakenEndsLeadership() {
        LeaderLease lease = lease();
        lease.step();
        client.redis().set(client.keys().chronLease(), "another-chron");

        lease.step();

        assertThat(lease.isLeader()).isFalse();
        assertThat(metrics.meter("jobrunner_chron_lease_lost").getCount()).isEqualTo(1);
        assertThat(client.redis().get(client.keys().chronLease())).isEqualTo("another-chron");
    }

    @Test
    void releaseGivesUpOnlyOurOwnKey() {
        LeaderLease lease = lease();
        lease.step();
        lease.release();
        assertThat(lease.isLeader()).isFalse();
        assertThat(client.redis().exists(client.keys().chronLease())).isZero();

        LeaderLease other = lease();
        other.step();
        lease.release();
        assertThat(client.redis().get(client.keys().chronLease())).isEqualTo(other.token());
    }
}
