package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link Lease}: SET NX PX to take it; renew and release only while the key still holds our token. */
@ExtendWith(RedisExtension.class)
class LeaseIT {

    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void onlyOneHolderAtATimeAndOnlyTheHolderRenewsOrReleases(TestRedis redis) {
        JobRunnerClient client = redis.client();
        String key = client.keys().chronLease();
        Lease mine = client.lease(key);
        Lease theirs = redis.client().lease(key);
        assertThat(mine.token()).isNotEqualTo(theirs.token());
        assertThat(mine.key()).isEqualTo(redis.prefix() + ":chron:lease");

        assertThat(mine.tryAcquire(Duration.ofSeconds(10))).isTrue();
        assertThat(theirs.tryAcquire(LONG)).isFalse();
        assertThat(mine.tryAcquire(LONG)).as("a re-sent acquire: still ours, renewed").isTrue();
        assertThat(client.redis().get(key)).isEqualTo(mine.token());
        assertThat(client.redis().pttl(key)).isGreaterThan(Duration.ofSeconds(10).toMillis());

        assertThat(theirs.renew(LONG)).isFalse();
        assertThat(theirs.release()).isFalse();
        assertThat(client.redis().get(key)).isEqualTo(mine.token());

        assertThat(mine.renew(LONG)).isTrue();
        assertThat(client.redis().pttl(key)).isGreaterThan(Duration.ofSeconds(10).toMillis());

        assertThat(mine.release()).isTrue();
        assertThat(client.redis().exists(key)).isZero();
        assertThat(mine.release()).isFalse();
        assertThat(theirs.tryAcquire(LONG)).isTrue();
    }

    @Test
    void aHolderWhoseLeaseExpiredCannotRenewOrReleaseTheNextHoldersLease(TestRedis redis) {
        JobRunnerClient client = redis.client();
        String key = client.keys().lock("repo/mediawiki-core");
        Lease slow = client.lease(key);
        Lease next = client.lease(key);
        assertThat(slow.tryAcquire(Duration.ofMillis(50))).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> next.tryAcquire(LONG)); // Redis expired it

        assertThat(slow.renew(LONG)).isFalse();
        assertThat(slow.release()).isFalse();
        assertThat(client.redis().get(key)).isEqualTo(next.token());
        assertThat(next.renew(LONG)).isTrue();
    }

    @Test
    void renewingAnExpiredLeaseNobodyTookFailsToo(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Lease lease = client.lease(client.keys().lock("x"));
        assertThat(lease.tryAcquire(Duration.ofMillis(20))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.redis().exists(lease.key()) == 0);
        assertThat(lease.renew(LONG)).isFalse();
        assertThat(client.redis().exists(lease.key())).as("renew must not resurrect it").isZero();
    }
}
