package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cluster-wide rate limits: a queue's bucket taken inside claim.lua, a type's or domain's bucket taken with
 * rate-take.lua and given back with rate-return.lua; tokens spaced by Redis's clock, exact under racing claimers.
 */
@ExtendWith(RedisExtension.class)
class RateLimitIT {

    private final QueueName queue = TestJobs.queue("sendMail");

    private static CompletableFuture<ClaimBatch> claim(JobRunnerClient client, QueueName queue, int max, RateLimit rate) {
        return client.consumer().claim(queue, max, TTL, 0, max, Duration.ZERO, rate);
    }

    /** Redis's clock in ms. */
    private static long redisMillis(JobRunnerClient client) {
        List<String> time = client.redis().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    @Test
    void aQueuesClaimTakesNoMoreJobsThanItsBucketHasTokensAndSaysWhenTheNextComes(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(TestJobs.jobs(queue, 10));
        RateLimit fivePerSecond = new RateLimit(5, Duration.ofSeconds(1), 2);

        ClaimBatch first = join(claim(client, queue, 10, fivePerSecond));
        assertThat(first.jobs()).as("a full bucket gives its burst").hasSize(2);
        assertThat(first.remaining()).isEqualTo(8);
        assertThat(first.rateWaitMillis()).as("the next token, 200 ms apart").isBetween(1L, 200L);

        ClaimBatch refused = join(claim(client, queue, 10, fivePerSecond));
        assertThat(refused.jobs()).isEmpty();
        assertThat(refused.remaining()).as("nothing popped").isEqualTo(8);
        assertThat(refused.rateWaitMillis()).isBetween(1L, 200L);

        ClaimBatch unlimited = join(client.consumer().claim(queue, 3, TTL));
        assertThat(unlimited.jobs()).as("a claim without the limit does not look at the bucket").hasSize(3);
        assertThat(unlimited.rateWaitMillis()).isZero();
        assertThat(client.redis().get(client.keys().queueRate(queue))).as("the bucket's TAT in µs").matches("[0-9]{16}");
    }

    @Test
    void jobsDroppedAtClaimTakeNoTokenAndAnEmptiedQueueReportsNoWait(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Instant past = Instant.now().minus(Duration.ofMinutes(1));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(TestJobs.job(queue).param("late", i).build().expireAt(past));
        }
        jobs.add(TestJobs.job(queue).param("onTime", 1).build());
        client.producer().push(jobs);

        ClaimBatch batch = join(claim(client, queue, 10, new RateLimit(10, Duration.ofSeconds(1), 2)));

        assertThat(batch.expired()).isEqualTo(3);
        assertThat(batch.jobs()).hasSize(1);
        assertThat(batch.remaining()).isZero();
        assertThat(batch.rateWaitMillis()).as("nothing left to wait for").isZero();
        ClaimBatch again = join(claim(client, queue, 10, new RateLimit(10, Duration.ofSeconds(1), 2)));
        assertThat(again.jobs()).isEmpty();
        client.producer().push(TestJobs.jobs(queue, 2));
        assertThat(join(claim(client, queue, 10, new RateLimit(10, Duration.ofSeconds(1), 2))).jobs())
                .as("one token of the burst of two was left").hasSize(1);
    }

    @Test
    void racingClaimersOfEightClientsGetExactlyTheBurst(TestRedis redis) {
        List<JobRunnerClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(redis.client());
        }
        clients.get(0).producer().push(TestJobs.jobs(queue, 200));
        RateLimit rate = new RateLimit(1, Duration.ofHours(1), 1);
        RateLimit burst = new RateLimit(7, Duration.ofHours(1), 7);
        List<CompletableFuture<ClaimBatch>> claims = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            claims.add(claim(clients.get(i % 8), queue, 3, burst));
        }
        int claimed = claims.stream().map(TestSupport::join).mapToInt(b -> b.jobs().size()).sum();
        assertThat(claimed).isEqualTo(7);

        QueueName other = TestJobs.queue("otherType");
        clients.get(0).producer().push(TestJobs.jobs(other, 10));
        claims.clear();
        for (int i = 0; i < 40; i++) {
            claims.add(claim(clients.get(i % 8), other, 5, rate));
        }
        assertThat(claims.stream().map(TestSupport::join).mapToInt(b -> b.jobs().size()).sum())
                .as("each queue has its own bucket").isEqualTo(1);
    }

    @Test
    void overAWindowTheQueueGetsAtMostBurstPlusWindowOverIntervalByRedisTime(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(TestJobs.jobs(queue, 500));
        RateLimit rate = new RateLimit(20, Duration.ofSeconds(1), 1); // one per 50 ms
        long start = redisMillis(client);
        int claimed = 0;
        long sleptUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (int i = 0; i < 2000 && System.nanoTime() < sleptUntil; i++) {
            ClaimBatch b = join(claim(client, queue, 5, rate));
            claimed += b.jobs().size();
            if (redisMillis(client) - start >= 1000) {
                break;
            }
        }
        long elapsed = redisMillis(client) - start;
        assertThat(claimed).as("at most 1 + elapsed / 50 ms (elapsed %d ms)", elapsed).isLessThanOrEqualTo((int) (1 + elapsed / 50));
        assertThat(claimed).as("and some were granted").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSharedBucketGrantsItsBurstThenOneTokenPerIntervalAndTakesBackUnusedTokens(TestRedis redis) {
        JobRunnerClient client = redis.client();
        RateBuckets rates = client.rates();
        String key = client.keys().domainRate("shop1");
        RateLimit rate = new RateLimit(10, Duration.ofSeconds(1), 3);

        RateBuckets.Grant first = join(rates.take(key, rate, 5));
        assertThat(first.granted()).isEqualTo(3);
        assertThat(first.nextTokenInMillis()).isBetween(1L, 100L);
        assertThat(join(rates.take(key, rate, 1)).granted()).isZero();

        assertThat(join(rates.giveBack(key, rate, 2))).isTrue();
        assertThat(join(rates.take(key, rate, 5)).granted()).as("the two given back").isEqualTo(2);
        assertThat(client.redis().pttl(key)).as("the bucket expires once full again").isBetween(1L, 1001L);
        assertThat(join(rates.giveBack(client.keys().typeRate("gone"), rate, 1))).as("a full bucket").isFalse();
    }

    @Test
    void racingTakersOfASharedBucketGetExactlyItsBurst(TestRedis redis) {
        JobRunnerClient a = redis.client();
        JobRunnerClient b = redis.client();
        String key = a.keys().typeRate("sendMail");
        RateLimit rate = new RateLimit(100, Duration.ofMinutes(10), 9);
        List<CompletableFuture<RateBuckets.Grant>> takes = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            takes.add((i % 2 == 0 ? a : b).rates().take(key, rate, 2));
        }
        assertThat(takes.stream().map(TestSupport::join).mapToInt(RateBuckets.Grant::granted).sum()).isEqualTo(9);
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyWrite(TestRedis redis) {
        JobRunnerClient client = redis.client();
        QueueScripts scripts = TestSupport.scripts(client);
        String key = client.keys().typeRate("sendMail");
        assertBadArgs("rate-take", () -> join(scripts.rateTake(key, "0", 1, 1)));
        assertBadArgs("rate-take", () -> join(scripts.rateTake(key, "10", 0, 1)));
        assertBadArgs("rate-take", () -> join(scripts.rateTake(key, "10", 1, 1001)));
        assertBadArgs("rate-return", () -> join(scripts.rateReturn(key, "-1", 1)));
        assertBadArgs("rate-return", () -> join(scripts.rateReturn(key, "10", 0)));
        assertThat(client.redis().exists(key)).isZero();

        assertThatThrownBy(() -> new RateLimit(0, Duration.ofSeconds(1), 1)).hasMessageContaining("at least 1 job");
        assertThatThrownBy(() -> new RateLimit(5, Duration.ZERO, 1)).hasMessageContaining("at least 1ms");
        assertThatThrownBy(() -> new RateLimit(5, Duration.ofSeconds(1), 6)).hasMessageContaining("burst must be 1 to its limit (5)");
        assertThatThrownBy(() -> new RateLimit(2_000_000, Duration.ofSeconds(1), 1)).hasMessageContaining("microsecond");
        assertThat(new RateLimit(3, Duration.ofSeconds(1), 1).intervalArg()).isEqualTo("333333.3333333333");
    }
}
