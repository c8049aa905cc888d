package io.jobrunner.client;

import io.jobrunner.testing.NodeOfKey;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.claim;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@link ScriptRunner} and {@link Script}: EVALSHA, one reload on NOSCRIPT, errors mapped in one place. */
@ExtendWith(RedisExtension.class)
class ScriptRunnerIT {

    private final QueueName queue = TestJobs.queue("scripts");

    @Test
    void afterScriptFlushTheNextCallReloadsAndWorks(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(TestJobs.jobs(queue, 2));
        // on a cluster each master caches the scripts it ran: ask the one holding the queue
        var node = NodeOfKey.commands(client, client.keys().queue(queue).ready());
        assertThat(node.scriptExists(Script.PUSH.sha())).containsExactly(true);

        client.redis().scriptFlush();
        assertThat(node.scriptExists(Script.PUSH.sha(), Script.CLAIM.sha())).containsExactly(false, false);

        assertThat(claim(client, queue, 1).jobs()).hasSize(1);
        client.producer().push(TestJobs.job(queue).build());
        assertThat(node.scriptExists(Script.PUSH.sha(), Script.CLAIM.sha())).containsExactly(true, true);
        assertThat(client.inspector().counts(queue)).isEqualTo(new QueueCounts(queue, 2, 0, 1, 0));
    }

    @Test
    void manyConcurrentCallsAfterAFlushAllSucceed(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.producer().push(TestJobs.jobs(queue, 50));
        client.redis().scriptFlush();

        List<CompletableFuture<ClaimBatch>> claims = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            claims.add(client.consumer().claim(queue, 1, TTL));
        }
        assertThat(claims).allSatisfy(f -> assertThat(join(f).jobs()).hasSize(1));
    }

    @ParameterizedTest
    @EnumSource(Script.class)
    void everyShippedScriptHasItsContractHeaderAndTheShaRedisComputes(Script script, TestRedis redis) {
        String name = script.fileName().replace(".lua", "");
        assertThat(script.body()).startsWith("-- " + name + ":").contains("KEYS[1]").containsPattern("-- Returns");
        assertThat(redis.client().redis().scriptLoad(script.body())).isEqualTo(script.sha());
    }

    @Test
    void aRedisErrorInsideAScriptIsRedisErrorNamingScriptAndQueue(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.redis().set(client.keys().queue(queue).ready(), "not a list");

        Throwable thrown = catchThrowable(() -> client.producer().push(TestJobs.job(queue).build()));

        assertThat(thrown).isInstanceOfSatisfying(JobQueueException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REDIS_ERROR);
            assertThat(e.operation()).isEqualTo("push.lua");
            assertThat(e.queue()).isEqualTo(queue);
            assertThat(e.getMessage()).contains("push.lua on queue d/scripts failed (REDIS_ERROR)").contains("WRONGTYPE");
        });
    }

    @Test
    void aRedisErrorOutsideScriptsIsAJobQueueExceptionToo(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.redis().set(client.keys().queue(queue).claimed(), "not a zset");
        client.redis().set(client.keys().queues(), "not a set");

        assertThat(catchThrowable(() -> client.inspector().counts(queue)))
                .isInstanceOfSatisfying(JobQueueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REDIS_ERROR));
        assertThat(catchThrowable(() -> client.registry().allKnownQueues()))
                .isInstanceOfSatisfying(JobQueueException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REDIS_ERROR));
        assertThat(catchThrowable(() -> join(client.registry().addKnown(queue))))
                .isInstanceOfSatisfying(JobQueueException.class, e -> assertThat(e.queue()).isEqualTo(queue));
    }
}
