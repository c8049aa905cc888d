package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** permit-take.lua and permit-extend.lua: a cluster-wide cap's permits, expiring with their claims. */
@ExtendWith(RedisExtension.class)
class ClusterPermitsIT {

    private static final Duration TTL = Duration.ofMinutes(1);

    @Test
    void atMostCapPermitsAreHeldAndAReleaseFreesOne(TestRedis redis) {
        JobRunnerClient client = redis.client();
        ClusterPermits permits = client.permits();
        String key = client.keys().typePermits("transcode");

        assertThat(join(permits.take(key, 2, "a", TTL)).granted()).isTrue();
        assertThat(join(permits.take(key, 2, "b", TTL)).granted()).isTrue();
        ClusterPermits.Grant refused = join(permits.take(key, 2, "c", TTL));
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryInMillis()).as("until the earliest permit would expire").isBetween(1L, TTL.toMillis());
        assertThat(join(permits.take(key, 2, "a", TTL)).granted()).as("a holder asking again keeps its own").isTrue();

        join(permits.release(key, List.of("a")));
        assertThat(join(permits.take(key, 2, "c", TTL)).granted()).isTrue();
        assertThat(join(permits.held(key))).isEqualTo(2);
    }

    @Test
    void manyRacingTakersGetExactlyCapPermits(TestRedis redis) {
        JobRunnerClient a = redis.client();
        JobRunnerClient b = redis.client();
        String key = a.keys().domainPermits("shop");
        List<CompletableFuture<ClusterPermits.Grant>> takes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            takes.add((i % 2 == 0 ? a : b).permits().take(key, 3, "m" + i, TTL));
        }
        long granted = takes.stream().map(TestSupport::join).filter(ClusterPermits.Grant::granted).count();
        assertThat(granted).isEqualTo(3);
    }

    @Test
    void aPermitNotExtendedExpiresWithItsClaimAndFreesItsPlace(TestRedis redis) {
        JobRunnerClient client = redis.client();
        ClusterPermits permits = client.permits();
        String key = client.keys().typePermits("transcode");
        assertThat(join(permits.take(key, 1, "dead-runner", Duration.ofSeconds(3))).granted()).isTrue();
        assertThat(join(permits.take(key, 1, "other", TTL)).granted()).isFalse();

        // Redis's own clock must pass the permit's expiry (no test clock reaches into Redis): polled, bounded
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> join(permits.take(key, 1, "other", TTL)).granted());
        assertThat(join(permits.extend(key, TTL, List.of("dead-runner")))).as("an expired permit is lost, not revived")
                .containsExactly("dead-runner");
        assertThat(join(permits.held(key))).isEqualTo(1);
    }

    @Test
    void extendingMovesAPermitsExpiry(TestRedis redis) {
        JobRunnerClient client = redis.client();
        ClusterPermits permits = client.permits();
        String key = client.keys().typePermits("transcode");
        join(permits.take(key, 1, "alive", Duration.ofSeconds(5)));
        Double before = client.redis().zscore(key, "alive");
        assertThat(join(permits.extend(key, TTL, List.of("alive")))).isEmpty();
        assertThat(client.redis().zscore(key, "alive")).as("about a minute ahead now").isGreaterThan(before + 50_000);
        assertThat(join(permits.take(key, 1, "other", TTL)).granted()).as("still held").isFalse();
    }

    @Test
    void badArgumentsAreRejected(TestRedis redis) {
        QueueScripts scripts = TestSupport.scripts(redis.client());
        assertBadArgs("permit-take", () -> join(scripts.permitTake("k", 0, "m", 1000)));
        assertBadArgs("permit-take", () -> join(scripts.permitTake("k", 1, "", 1000)));
        assertBadArgs("permit-take", () -> join(scripts.permitTake("k", 1, "m", 0)));
        assertBadArgs("permit-extend", () -> join(scripts.permitExtend("k", 0, List.of("m"))));
    }
}
