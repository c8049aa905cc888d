package io.jobrunner.client;

import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.jobrunner.testing.TestJobs;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.jobrunner.client.TestSupport.TTL;
import static io.jobrunner.client.TestSupport.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A Redis that is not there, or goes away: clear {@link JobQueueException}s, never a hang. */
class ConnectionIT {

    private static final Duration NO_HANG = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofSeconds(2);

    private final QueueName queue = TestJobs.queue("connection");

    @Test
    void connectingToAClosedPortFailsFastNamingTheUri() {
        String uri = "redis://127.0.0.1:" + RedisServers.freePort();
        Throwable thrown = assertTimeoutPreemptively(NO_HANG, () ->
                catchThrowable(() -> JobRunnerClient.connect(ClientSettings.of(uri).withTimeouts(SHORT, SHORT))));

        assertThat(thrown).isInstanceOfSatisfying(JobQueueException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REDIS_UNAVAILABLE);
            assertThat(e.operation()).isEqualTo("connect");
            assertThat(e.getMessage()).contains("cannot connect to Redis at " + uri);
        });
    }

    @Test
    void theConnectErrorNeverShowsThePassword() {
        String uri = "redis://jobs:s3cret@127.0.0.1:" + RedisServers.freePort();
        Throwable thrown = catchThrowable(() -> JobRunnerClient.connect(ClientSettings.of(uri).withTimeouts(SHORT, SHORT)));
        assertThat(thrown).isInstanceOf(JobQueueException.class).hasMessageContaining("redis://jobs:***@127.0.0.1:")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aRedisThatDiesUnderTheClientMakesEveryCallFailClearly() {
        RunningRedis server = RedisServers.startDedicated();
        try (JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(server.uri()).withPrefix("dies")
                .withTimeouts(SHORT, SHORT))) {
            client.producer().push(TestJobs.jobs(queue, 2));
            ClaimedJob claimed = join(client.consumer().claim(queue, 1, TTL)).jobs().get(0);
            Lease lease = client.lease(client.keys().chronLease());

            server.close();
            assertThat(server.isRunning()).isFalse();

            assertTimeoutPreemptively(NO_HANG, () -> {
                assertFailsClearly(() -> client.producer().push(TestJobs.job(queue).build()), "push.lua");
                assertFailsClearly(() -> join(client.consumer().claim(queue, 1, TTL)), "claim.lua");
                assertFailsClearly(() -> join(client.consumer().ack(queue, List.of(claimed.ref()))), "ack.lua");
                assertFailsClearly(() -> join(client.registry().readyQueues()), "read ready registry");
                assertFailsClearly(() -> join(client.registry().markReady(queue)), "ready-mark.lua");
                assertFailsClearly(() -> client.inspector().counts(queue), "inspect");
                assertFailsClearly(() -> client.maintenance().workDue(queue, 3), "clear due");
                assertFailsClearly(() -> lease.tryAcquire(TTL), "lease-acquire.lua");
            });
        } finally {
            server.close();
        }
    }

    @Test
    void aCallInFlightWhenRedisDiesFailsByTheCommandTimeoutAndTheNextOnesAtOnce() {
        RunningRedis server = RedisServers.startDedicated();
        try (JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(server.uri()).withPrefix("inflight")
                .withTimeouts(SHORT, SHORT));
             JobRunnerClient pauser = JobRunnerClient.connect(ClientSettings.of(server.uri()))) {
            client.producer().push(TestJobs.jobs(queue, 2));
            pauser.redis().clientPause(SHORT.multipliedBy(2).toMillis()); // Redis reads the claim but does not run it
            CompletableFuture<ClaimBatch> inFlight = client.consumer().claim(queue, 1, TTL);

            server.close();

            assertTimeoutPreemptively(NO_HANG, () -> {
                assertFailsClearly(() -> join(inFlight), "claim.lua");
                assertFailsClearly(() -> join(client.consumer().claim(queue, 1, TTL)), "claim.lua");
            });
        } finally {
            server.close();
        }
    }

    private static void assertFailsClearly(ThrowingCallable call, String operation) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as(operation).isInstanceOfSatisfying(JobQueueException.class, e -> {
            assertThat(e.code()).isIn(ErrorCode.REDIS_UNAVAILABLE, ErrorCode.REDIS_TIMEOUT);
            assertThat(e.operation()).startsWith(operation);
            assertThat(e.getMessage()).contains(e.code().name());
        });
    }
}
