package io.jobrunner.bench.scenario;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.QueueDrain;
import io.jobrunner.bench.RedisInfo;
import io.jobrunner.chron.Chron;
import io.jobrunner.chron.DutyStatus;
import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.service.metrics.MetricName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The chron's cost with Q known, empty queues (the state a drain of Q queues leaves: every queue in
 * {@code jr:queues}, none ready, each with a claim deadline a minute ahead in {@code jr:due}), for the
 * many-queues scenario. Runs the real {@link Chron} with a short tick interval (the cost of a tick does not
 * depend on it) and measures:
 * <ol>
 *   <li>the due tick (recycle and promote): median time from the chron's own {@code chron.duty.due.time}
 *       timer, and Redis commands per tick (every command in the window, lease renewals included, over the
 *       ticks);</li>
 *   <li>the registry repair pass at start (it walks every known queue by design and runs every
 *       {@code repair-interval}, 5 s by default): its time.</li>
 * </ol>
 * Empty queues are put back into {@code jr:queues} after the first repair pass (which forgets them), so the
 * measured ticks see all Q of them known.
 */
final class ChronTickCost {

    /**
     * @param tickMillis       median due-tick time
     * @param commandsPerTick  Redis commands per tick in the window
     * @param ticks            ticks in the window
     * @param repairMillis     the first repair pass's time
     */
    record Outcome(double tickMillis, double commandsPerTick, long ticks, double repairMillis) {
        @Override
        public String toString() {
            return String.format("tick %.3f ms, %.1f commands/tick (%d ticks), repair pass %.1f ms", tickMillis, commandsPerTick,
                    ticks, repairMillis);
        }
    }

    private static final Config CHRON = ConfigFactory.parseString("""
            jobrunner.chron { interval = 20ms, repair-interval = 1h, prune-interval = 1h, gauges.interval = 1h, http.enabled = false }
            """);

    private ChronTickCost() {
    }

    static Outcome measure(BenchContext ctx, List<QueueName> queues, Duration window) throws Exception {
        String prefix = ctx.redis().newPrefix();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix))) {
            leaveEmptyAfterClaim(client, queues, Duration.ofSeconds(60));
            MetricRegistry metrics = new MetricRegistry();
            Chron chron = Chron.create(CHRON, client, metrics);
            chron.start();
            try {
                awaitRuns(chron, "due", 3);
                DutyStatus repair = awaitRuns(chron, "repair", 1);
                Timer repairTimer = metrics.timer(MetricName.of("jobrunner_chron_duty_run_seconds", "duty", "repair"));
                double repairMillis = repairTimer.getSnapshot().getMax() / 1e6;
                for (int from = 0; from < queues.size(); from += 1000) {
                    String[] names = queues.subList(from, Math.min(queues.size(), from + 1000)).stream()
                            .map(QueueName::toString).toArray(String[]::new);
                    client.redis().sadd(client.keys().queues(), names);
                }
                Timer due = metrics.timer(MetricName.of("jobrunner_chron_duty_run_seconds", "duty", "due"));
                long ticks0 = due.getCount();
                RedisInfo before = ctx.redis().info("commandstats");
                Thread.sleep(window.toMillis());
                RedisInfo after = ctx.redis().info("commandstats");
                long ticks = due.getCount() - ticks0;
                long commands = after.callsSince(before).entrySet().stream()
                        .filter(e -> !e.getKey().equals("info")).mapToLong(Map.Entry::getValue).sum();
                Snapshot snap = due.getSnapshot();
                if (repair.errors() > 0) {
                    ctx.log().println("  chron repair reported errors: " + repair.lastError());
                }
                return new Outcome(snap.getMedian() / 1e6, ticks == 0 ? Double.NaN : commands / (double) ticks, ticks, repairMillis);
            } finally {
                chron.stop();
            }
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    /**
     * The catch-up tick: the drained queues' due entries (their last claim deadline) fall due together, and the
     * first tick after that works every one of them once. Returns that tick's time in ms.
     */
    static double catchUp(BenchContext ctx, List<QueueName> queues) throws Exception {
        String prefix = ctx.redis().newPrefix();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix))) {
            leaveEmptyAfterClaim(client, queues, Duration.ofMillis(1));
            MetricRegistry metrics = new MetricRegistry();
            Chron chron = Chron.create(CHRON, client, metrics);
            chron.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline) {
                    DutyStatus s = chron.status().duties().get("due");
                    if (s != null && s.totalCounts().getOrDefault("queues", 0L) >= queues.size()) {
                        return metrics.timer(MetricName.of("jobrunner_chron_duty_run_seconds", "duty", "due")).getSnapshot().getMax() / 1e6;
                    }
                    Thread.sleep(5);
                }
                throw new IllegalStateException("the chron did not work " + queues.size() + " due queues within 120 s");
            } finally {
                chron.stop();
            }
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    /** One job pushed into each queue, claimed and acked, the queue taken out of the ready registry: a drained queue. */
    private static void leaveEmptyAfterClaim(JobRunnerClient client, List<QueueName> queues, Duration claimTtl) {
        QueueDrain.fill(client, queues, 1, 100);
        JobConsumer consumer = client.consumer();
        for (int from = 0; from < queues.size(); from += 500) {
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (QueueName q : queues.subList(from, Math.min(queues.size(), from + 500))) {
                pending.add(consumer.claim(q, 1, claimTtl).thenCompose((ClaimBatch b) ->
                        consumer.ack(q, b.jobs().stream().map(ClaimedJob::ref).toList()).thenApply(r -> (Void) null)));
            }
            pending.forEach(CompletableFuture::join);
        }
        client.registry().readyQueues().join().forEach((q, stamp) -> client.registry().removeIfUnchanged(q, stamp).join());
    }

    private static DutyStatus awaitRuns(Chron chron, String duty, long runs) throws InterruptedException {
        return awaitRuns(chron, duty, runs, Duration.ofSeconds(120));
    }

    /** Waits (5 ms polls) until the chron's duty has run {@code runs} times; throws when the time runs out. */
    static DutyStatus awaitRuns(Chron chron, String duty, long runs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            DutyStatus s = chron.status().duties().get(duty);
            if (s != null && s.runs() >= runs) {
                return s;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("chron duty " + duty + " did not run " + runs + " time(s) within " + timeout.toSeconds() + " s");
    }

    static List<QueueName> single() {
        return List.of(BenchJobs.queue("tick"));
    }
}
