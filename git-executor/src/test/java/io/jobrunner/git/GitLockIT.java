package io.jobrunner.git;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Lease;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-repository lock: two jobs on one repository never run at once, across executors and across
 * clients (as two runner processes would be); contention past lock-wait is a retry; the lock is released.
 */
@ExtendWith(RedisExtension.class)
class GitLockIT {

    @TempDir
    Path tmp;

    private OriginRepo origin;
    private Path root;
    private JobRunnerClient processA;
    private JobRunnerClient processB;
    private GitRig rigA;
    private GitRig rigB;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeEach
    void setUp(TestRedis redis) throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        origin = OriginRepo.create(Files.createDirectories(tmp.resolve("remote")), "pack");
        processA = redis.client();
        processB = redis.client();
        rigA = new GitRig(processA, root);
        rigB = new GitRig(processB, root);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        rigA.close();
        rigB.close();
        origin.close();
    }

    /** Records enter/exit; the first run to enter holds the lock until the other one is waiting for it. */
    private static final class Recorder {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch secondWaiting = new CountDownLatch(1);
        final AtomicBoolean inside = new AtomicBoolean();
        final AtomicBoolean overlapped = new AtomicBoolean();

        GitExecutor.Events events(String who, boolean holdUntilOtherWaits) {
            return new GitExecutor.Events() {
                @Override
                public void entered(String name) {
                    if (!inside.compareAndSet(false, true)) {
                        overlapped.set(true);
                    }
                    events.add(who + " enter");
                    firstEntered.countDown();
                    if (holdUntilOtherWaits) {
                        try {
                            assertThat(secondWaiting.await(20, TimeUnit.SECONDS)).as("the other run waits for the lock").isTrue();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }

                @Override
                public void exited(String name) {
                    events.add(who + " exit");
                    inside.set(false);
                }

                @Override
                public void waiting(String name) {
                    events.add(who + " waiting");
                    secondWaiting.countDown();
                }
            };
        }
    }

    @Test
    void twoSyncsOfOneRepositoryNeverOverlap() throws Exception {
        rigA.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        ObjectId next = origin.commit("n.txt", "n\n", "next");
        Recorder recorder = new Recorder();
        GitExecutor syncA = rigA.executor("git-sync", "lock-wait = 30s", recorder.events("A", true));
        GitExecutor syncB = rigB.executor("git-sync", "lock-wait = 30s", recorder.events("B", false));

        CompletableFuture<ExecutionResult> a = CompletableFuture.supplyAsync(() -> syncA.execute(TestContext.of("repoSync", "name", "pack")), threads);
        assertThat(recorder.firstEntered.await(20, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ExecutionResult> b = CompletableFuture.supplyAsync(() -> syncB.execute(TestContext.of("repoSync", "name", "pack")), threads);

        ExecutionResult resultA = a.get(30, TimeUnit.SECONDS);
        ExecutionResult resultB = b.get(30, TimeUnit.SECONDS);

        assertThat(recorder.events).containsExactly("A enter", "B waiting", "A exit", "B enter", "B exit");
        assertThat(recorder.overlapped).isFalse();
        assertThat(resultA).isInstanceOf(ExecutionResult.Success.class);
        assertThat(resultA.message()).contains("new " + next.name());
        assertThat(resultB).isInstanceOf(ExecutionResult.Success.class);
        assertThat(resultB.message()).contains("unchanged at " + next.name());
        assertThat(processA.redis().exists(RepositoryLock.key(processA, "pack"))).isZero();
    }

    @Test
    void aSyncThatFindsACloneInProgressWaitsForIt() throws Exception {
        Recorder recorder = new Recorder();
        GitExecutor clone = rigA.executor("git-clone", "lock-wait = 30s", recorder.events("clone", true));
        GitExecutor sync = rigB.executor("git-sync", "lock-wait = 30s", recorder.events("sync", false));

        CompletableFuture<ExecutionResult> cloning = CompletableFuture.supplyAsync(() -> clone.execute(TestContext.of("repoAdd", "url", origin.fileUrl())), threads);
        assertThat(recorder.firstEntered.await(20, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ExecutionResult> syncing = CompletableFuture.supplyAsync(() -> sync.execute(TestContext.of("repoSync", "name", "pack")), threads);

        assertThat(cloning.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionResult.Success.class);
        ExecutionResult synced = syncing.get(30, TimeUnit.SECONDS);
        assertThat(synced).isInstanceOf(ExecutionResult.Success.class);
        assertThat(synced.message()).contains("unchanged at " + origin.head().name());
        assertThat(recorder.events).containsExactly("clone enter", "sync waiting", "clone exit", "sync enter", "sync exit");
    }

    @Test
    void aLockHeldPastLockWaitIsARetryAndTouchesNothing() throws Exception {
        rigA.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl()));
        origin.commit("n.txt", "n\n", "next");
        Lease other = processB.lease(RepositoryLock.key(processB, "pack"));
        assertThat(other.tryAcquire(Duration.ofMinutes(1))).isTrue();

        ExecutionResult busy = rigA.executor("git-sync", "lock-wait = 200ms").execute(TestContext.of("repoSync", "name", "pack"));

        assertThat(busy).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(busy.message()).contains("repository 'pack' is busy", "will retry");
        assertThat(Files.exists(root.resolve("pack/n.txt"))).isFalse();
        assertThat(processA.redis().get(RepositoryLock.key(processA, "pack"))).isEqualTo(other.token());

        assertThat(other.release()).isTrue();
        assertThat(rigA.syncer().execute(TestContext.of("repoSync", "name", "pack"))).isInstanceOf(ExecutionResult.Success.class);
        assertThat(root.resolve("pack/n.txt")).exists();
    }

    @Test
    void theLockIsReleasedAfterAFailedRunToo() throws Exception {
        ExecutionResult failed = rigA.cloner().execute(TestContext.of("repoAdd", "url", origin.fileUrl(), "ref", "nope"));
        assertThat(failed).isInstanceOf(ExecutionResult.Failure.class);
        assertThat(processA.redis().exists(RepositoryLock.key(processA, "pack"))).isZero();
    }

    @Test
    void aLockTakenByAnotherHolderIsDetectedAsLost() throws Exception {
        ScheduledRenewer renewer = new ScheduledRenewer();
        try (renewer) {
            RepositoryLock lock = RepositoryLock.acquire(processA, renewer.executor, "pack", Duration.ofSeconds(3), Duration.ZERO,
                    () -> false, name -> { }, TestContext.LOG);
            try (lock) {
                assertThat(lock.lost()).isFalse();
                processB.redis().set(RepositoryLock.key(processB, "pack"), "someone-else");
                await().atMost(Duration.ofSeconds(10)).until(lock::lost);
            }
            assertThat(processB.redis().get(RepositoryLock.key(processB, "pack"))).isEqualTo("someone-else");
        }
    }

    @Test
    void aHeldLockIsRenewedWhileHeld() throws Exception {
        ScheduledRenewer renewer = new ScheduledRenewer();
        try (renewer) {
            RepositoryLock lock = RepositoryLock.acquire(processA, renewer.executor, "pack", Duration.ofSeconds(3), Duration.ZERO,
                    () -> false, name -> { }, TestContext.LOG);
            String key = RepositoryLock.key(processA, "pack");
            try (lock) {
                // the TTL only goes up again when a renewal happened (every third of the TTL)
                java.util.concurrent.atomic.AtomicLong lowest = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    long ttl = processA.redis().pttl(key);
                    lowest.accumulateAndGet(ttl, Math::min);
                    return ttl > lowest.get() + 300;
                });
                assertThat(lock.lost()).isFalse();
            }
            assertThat(processA.redis().exists(key)).isZero();
        }
    }

    private static final class ScheduledRenewer implements AutoCloseable {
        final java.util.concurrent.ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
