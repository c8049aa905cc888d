package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.executor.ExecutionContext;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An executor that ignores cancellation holds its slot thread: the group gives the job back as a retry and
 * replaces the slot once the executor's stop grace after the timeout has passed, so the group keeps its capacity;
 * the stuck thread's late outcome is never reported.
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class StuckSlotIT {

    private static final String CONFIG = """
            jobrunner.runner.groups.only { slots = 1, types = ["*"] }
            jobrunner.limits {
              attempts { "*" = 3 }
              backoff { "*" { initial = 10ms, max = 20ms } }
              timeout { stuck = 200ms }
            }
            """;

    /** The first run of a "stuck" job ignores interrupts until released (at most 60 s); every other run succeeds. */
    static final class StubbornExecutor implements JobExecutor {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean first = new AtomicBoolean(true);
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<String> ran = new CopyOnWriteArrayList<>();
        volatile boolean interrupted;
        volatile boolean stuckReturned;

        @Override
        public ExecutionResult execute(ExecutionContext context) {
            threads.add(Thread.currentThread());
            ran.add(context.job().type() + "#" + context.attempt());
            if (context.job().type().equals("stuck") && first.compareAndSet(true, false)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    try {
                        if (release.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                            break;
                        }
                    } catch (InterruptedException e) {
                        interrupted = true; // and carries on regardless
                    }
                }
                stuckReturned = true;
            }
            return ExecutionResult.success();
        }

        @Override
        public Duration stopGrace() {
            return Duration.ofMillis(200);
        }
    }

    @Test
    void aSlotStuckPastItsStopGraceIsReplacedAndItsJobRetried(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        StubbornExecutor executor = new StubbornExecutor();
        MetricRegistry metrics = new MetricRegistry();
        QueueName stuck = new QueueName("default", "stuck");
        QueueName other = new QueueName("default", "other");
        try (Runner runner = Runner.create(RunnerConfigs.of(CONFIG), client, metrics, ExecutorLookup.of(Map.of("*", executor)));
             TestPromoter promoter = new TestPromoter(client, List.of(stuck), 5)) {
            runner.start();
            client.producer().push(Job.of("stuck"));

            // Attempt 1 hangs; after timeout + stop grace the job goes back and attempt 2 runs on a new slot thread.
            await().atMost(Duration.ofSeconds(30)).until(() -> executor.ran.contains("stuck#2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(stuck).total() == 0);
            assertThat(executor.interrupted).as("the timeout interrupted the run").isTrue();
            assertThat(executor.stuckReturned).isFalse();
            Thread stuckThread = executor.threads.get(0);
            assertThat(stuckThread.isAlive()).isTrue();
            assertThat(stuckThread.getName()).isEqualTo("slot-only-1-stuck");
            assertThat(executor.threads.get(1)).isNotSameAs(stuckThread);
            assertThat(executor.threads.get(1).getName()).isEqualTo("slot-only-1");
            assertThat(metrics.meter("jobrunner_runner_slots_replaced").getCount()).isEqualTo(1);
            assertThat(metrics.meter(MetricName.of("jobrunner_jobs_retried", "type", "stuck")).getCount()).isEqualTo(1);
            assertThat(runner.status().groups().get(0).busy()).isZero();

            // The group's one slot still serves other work.
            client.producer().push(Job.of("other"));
            await().atMost(Duration.ofSeconds(10)).until(() -> executor.ran.contains("other#1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(other).total() == 0);

            // Released at last, the stuck thread reports nothing and ends.
            executor.release.countDown();
            stuckThread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(stuckThread.isAlive()).isFalse();
            assertThat(executor.stuckReturned).isTrue();
            assertThat(metrics.meter(MetricName.of("jobrunner_jobs_succeeded", "type", "stuck")).getCount()).as("attempt 2 only").isEqualTo(1);
        } finally {
            executor.release.countDown();
        }
    }

    @Test
    void aStuckThreadKeepsNoConcurrencyReservationIsCountedAndABoundedRunEnds(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        StubbornExecutor executor = new StubbornExecutor();
        QueueName stuck = new QueueName("default", "stuck");
        String capped = CONFIG + "jobrunner.runner.concurrency.per-type { stuck = 1 }\n";
        try (TestPromoter promoter = new TestPromoter(client, List.of(stuck), 5)) {
            Runner runner = Runner.create(RunnerConfigs.of(capped), client, new MetricRegistry(), ExecutorLookup.of(Map.of("*", executor)));
            client.producer().push(Job.of("stuck"));
            CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> runner.runBounded(new RunBounds(0, Duration.ofSeconds(60), true)));

            // With a cap of 1 on the type, attempt 2 can only run if the stuck thread gave its reservation back.
            await().atMost(Duration.ofSeconds(30)).until(() -> executor.ran.contains("stuck#2"));
            assertThat(runner.status().groups().get(0).stuck()).as("counted while it has not returned").isEqualTo(1);
            RunSummary summary = run.get(30, TimeUnit.SECONDS); // the bounded run ends despite the stuck thread
            assertThat(summary.reason()).isEqualTo(RunSummary.Reason.EMPTY);
            assertThat(summary.succeeded()).isEqualTo(1);
            assertThat(client.inspector().counts(stuck).total()).isZero();
        } finally {
            executor.release.countDown();
        }
    }
}
