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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.assertBadArgs;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-job priority within a queue: higher first, FIFO within one priority, the plain list untouched for priority 0;
 * every way back to ready (retry, requeue, recycle, promote, operator retry and run-now) keeps the job's priority.
 */
@ExtendWith(RedisExtension.class)
class PriorityIT {

    private final QueueName queue = TestJobs.queue("prio");

    private Job job(String name, int priority) {
        return TestJobs.job(queue).param("name", name).build().withPriority(priority);
    }

    private static List<String> names(List<ClaimedJob> jobs) {
        return jobs.stream().map(j -> j.job().params().get("name").asText()).toList();
    }

    private static List<String> claimAll(JobRunnerClient client, QueueName queue) {
        return names(join(client.consumer().claim(queue, 100, TTL)).jobs());
    }

    @Test
    void higherPrioritiesAreClaimedFirstAndEachPriorityInPushOrder(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(List.of(job("a0", 0), job("b5", 5), job("c9", 9), job("d0", 0), job("e5", 5), job("f1", 1)));
        client.producer().push(job("g9", 9));

        assertThat(client.inspector().counts(queue).ready()).isEqualTo(7);
        assertThat(client.inspector().list(queue, JobState.READY, 2, 3)).extracting(i -> i.job().params().get("name").asText())
                .as("listed in claim order").containsExactly("b5", "e5", "f1");
        ClaimBatch first = join(client.consumer().claim(queue, 3, TTL));
        assertThat(names(first.jobs())).containsExactly("c9", "g9", "b5");
        assertThat(first.remaining()).isEqualTo(4);
        assertThat(claimAll(client, queue)).containsExactly("e5", "f1", "a0", "d0");
        assertThat(client.redis().exists(client.keys().queue(queue).prioritized())).isZero();
    }

    @Test
    void aQueueOfPriorityZeroKeepsItsListAndNeverWritesThePrioritizedSet(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(List.of(job("a", 0), job("b", 0)));
        assertThat(client.redis().llen(client.keys().queue(queue).ready())).isEqualTo(2);
        assertThat(client.redis().exists(client.keys().queue(queue).prioritized())).isZero();
        assertThat(client.redis().hexists(client.keys().queue(queue).meta(), client.inspector().list(queue, JobState.READY, 1).get(0).id() + ":p"))
                .isFalse();
        assertThat(claimAll(client, queue)).containsExactly("a", "b");
    }

    @Test
    void everyWayBackToReadyKeepsThePriority(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(List.of(job("low", 0), job("high", 7), job("mid", 3)));
        ClaimedJob high = join(client.consumer().claim(queue, 1, TTL)).jobs().get(0);
        assertThat(join(client.consumer().retry(queue, high.ref(), Duration.ZERO, "again"))).isTrue();
        ClaimedJob again = join(client.consumer().claim(queue, 1, TTL)).jobs().get(0);
        assertThat(again.id()).as("a retry now waits at its priority, before mid").isEqualTo(high.id());

        join(client.consumer().requeue(queue, again.ref()));
        client.producer().push(job("high2", 7));
        assertThat(names(join(client.consumer().claim(queue, 2, TTL)).jobs())).as("a requeue goes to the claim end of its priority")
                .containsExactly("high", "high2");

        client.producer().push(job("top", 9));
        ClaimedJob top = join(client.consumer().claim(queue, 1, TTL, 3, 1)).jobs().get(0);
        client.redis().zadd(client.keys().queue(queue).claimed(), 1, top.id());
        join(client.maintenance().recycle(queue, 3));
        assertThat(names(join(client.consumer().claim(queue, 1, TTL)).jobs())).as("recycled").containsExactly("top");

        client.producer().push(job("later", 8).releaseAt(Instant.now().plusMillis(300)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> join(client.maintenance().promote(queue)).promoted() == 1 || client.inspector().counts(queue).delayed() == 0);
        assertThat(names(join(client.consumer().claim(queue, 1, TTL)).jobs())).as("promoted").containsExactly("later");

        ClaimedJob mid = join(client.consumer().claim(queue, 1, TTL)).jobs().get(0);
        join(client.consumer().abandon(queue, mid.ref(), "broken"));
        client.producer().push(job("mid2", 3));
        assertThat(client.maintenance().retryAbandoned(queue, List.of(mid.id()))).isEqualTo(1);
        assertThat(names(join(client.consumer().claim(queue, 2, TTL)).jobs())).as("an operator's retry").containsExactly("mid2", "mid");

        Job delayed = job("soon", 4).releaseAt(Instant.now().plus(Duration.ofHours(1)));
        client.producer().push(List.of(delayed, job("other", 4)));
        assertThat(client.operations().runNow(queue, delayed.id())).isTrue();
        assertThat(names(join(client.consumer().claim(queue, 1, TTL)).jobs())).as("run now: the claim end of its priority")
                .containsExactly("soon");
        assertThat(client.operations().delete(queue, List.of(client.inspector().list(queue, JobState.READY, 1).get(0).id())))
                .containsValue("ready");
        assertThat(claimAll(client, queue)).containsExactly("low");
    }

    @Test
    void racingClaimersTakeEachJobOnceInPriorityOrder(TestRedis redis) {
        JobRunnerClient a = redis.client();
        JobRunnerClient b = redis.client();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(job("j" + i, i % 10));
        }
        a.producer().push(jobs);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<ClaimBatch>> claims = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            claims.add((i % 2 == 0 ? a : b).consumer().claim(queue, 5, TTL));
        }
        int total = 0;
        for (CompletableFuture<ClaimBatch> c : claims) {
            for (ClaimedJob job : join(c).jobs()) {
                assertThat(seen.add(job.id())).as("claimed once: %s", job.id()).isTrue();
                total++;
            }
        }
        assertThat(total).isEqualTo(300);
        assertThat(a.inspector().counts(queue).total()).isEqualTo(300); // all claimed, none left ready
        assertThat(a.inspector().counts(queue).ready()).isZero();
    }

    @Test
    void aPriorityOutside0To9IsRefusedBeforeRedisIsTouched(TestRedis redis) {
        assertThatThrownBy(() -> job("x", 10)).isInstanceOf(InvalidJobException.class).hasMessageContaining("0 to 9");
        assertThatThrownBy(() -> job("x", -1)).isInstanceOf(InvalidJobException.class).hasMessageContaining("priority");
        JobRunnerClient client = redis.client();
        assertBadArgs("push", () -> join(TestSupport.scripts(client).push(queue, List.of(
                new QueueScripts.PushItem("x", "{}", 0, null, null, 0, 0, null, 11)))));
        Job stored = job("kept", 6);
        assertThat(JobCodec.decodeStored(queue, stored.id(), JobCodec.encodeStored(stored, 1 << 20))).isEqualTo(stored);
    }
}
