package io.jobrunner.chron;

import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One leader at a time among chron processes (here: Chron instances with clients of their own). */
@ExtendWith(RedisExtension.class)
class LeaderElectionIT {

    private static final String[] FAST = {"lease-ttl = 1s", "interval = 100ms", "repair-interval = 200ms"};

    private final List<Chron> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Chron::stop);
    }

    private Chron start(JobRunnerClient client) {
        Chron chron = TestConfigs.chron(client, FAST);
        started.add(chron);
        chron.start();
        return chron;
    }

    @Test
    void onlyOneOfTwoChronsWorks(TestRedis redis) {
        Chron a = start(redis.client());
        Chron b = start(redis.client());
        await().atMost(Duration.ofSeconds(5)).until(() -> a.isLeader() || b.isLeader());

        await("never both leaders, for 2 s (six renewals)").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(10)).until(() -> !(a.isLeader() && b.isLeader()));
        Chron leader = a.isLeader() ? a : b;
        Chron standby = leader == a ? b : a;
        assertThat(leader.isLeader()).as("leadership is stable while renewals succeed").isTrue();
        assertThat(leader.status().duties().get("due").runs()).isGreaterThan(1);
        assertThat(standby.status().duties().values()).allMatch(d -> d.runs() == 0);
        assertThat(standby.status().state()).isEqualTo("standby");
        assertThat(redis.client().redis().get(redis.client().keys().chronLease())).isEqualTo(leader.leaseToken());
    }

    @Test
    void whenTheLeaderDiesTheStandbyTakesOverWithinTheLease(TestRedis redis) {
        JobRunnerClient observer = redis.client();
        String key = observer.keys().chronLease();
        Chron a = start(redis.client());
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        Chron b = start(redis.client());

        a.kill(); // a crash: the lease is not released
        long killedAt = System.nanoTime();
        assertThat(observer.redis().get(key)).as("still the dead leader's token").isEqualTo(a.leaseToken());
        assertThat(a.isLeader()).isFalse();

        await().atMost(Duration.ofSeconds(3)).until(b::isLeader);
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("takeover after a killed leader: %d ms (lease-ttl 1s)%n", takeoverMs);
        assertThat(observer.redis().get(key)).isEqualTo(b.leaseToken());
        await().atMost(Duration.ofSeconds(3)).until(() -> b.status().duties().get("due").runs() > 0);
    }

    @Test
    void aGracefulStopReleasesTheLease(TestRedis redis) {
        JobRunnerClient observer = redis.client();
        Chron a = start(redis.client());
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        String token = a.leaseToken();

        a.stop();

        assertThat(observer.redis().get(observer.keys().chronLease())).as("released at once, not left to expire").isNotEqualTo(token);
        Chron b = start(redis.client());
        await().atMost(Duration.ofSeconds(3)).until(b::isLeader);
    }

    @Test
    void aLeaderWhoseLeaseWasTakenStopsWorkingAtOnce(TestRedis redis) {
        JobRunnerClient observer = redis.client();
        String key = observer.keys().chronLease();
        Chron a = start(redis.client());
        await().atMost(Duration.ofSeconds(5)).until(a::isLeader);

        observer.redis().psetex(key, 60_000, "someone-else");

        await().atMost(Duration.ofSeconds(2)).until(() -> !a.isLeader());
        assertThat(a.status().state()).isEqualTo("standby");
        observer.redis().del(key);
        await().atMost(Duration.ofSeconds(3)).until(a::isLeader);
    }

    @Test
    void aLeaderThatCannotRenewStopsBeforeItsLeaseCanExpire() {
        try (RunningRedis own = RedisServers.startDedicated();
             JobRunnerClient chronClient = JobRunnerClient.connect(ClientSettings.of(own.uri()).withPrefix("pause"));
             JobRunnerClient admin = JobRunnerClient.connect(ClientSettings.of(own.uri()).withPrefix("pause"))) {
            Chron a = start(chronClient);
            await().atMost(Duration.ofSeconds(5)).until(a::isLeader);

            admin.redis().clientPause(3000); // every command of the leader, its renewals too, now hangs
            long pausedAt = System.nanoTime();

            await().atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(10)).until(() -> !a.isLeader());
            long stoppedMs = (System.nanoTime() - pausedAt) / 1_000_000;
            System.out.printf("leader stopped %d ms after Redis stopped answering (lease-ttl 1s, valid 800 ms after a renewal)%n", stoppedMs);
            // the exact bound (four fifths of the lease after the last renewal was sent) is in LeaderLeaseIT, on a fake ticker

            await().atMost(Duration.ofSeconds(6)).until(a::isLeader); // Redis answers again: the lease was kept or re-taken
            a.stop();
        }
    }
}
