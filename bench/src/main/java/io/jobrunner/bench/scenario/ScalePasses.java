package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.CpuMeter;
import io.jobrunner.bench.HandlerProbe;
import io.jobrunner.bench.MemoryMeter;
import io.jobrunner.bench.QueueDrain;
import io.jobrunner.bench.SlowCommands;
import io.jobrunner.bench.runner.RunnerUnderTest;
import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.QueueName;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The three passes of the scale scenario, each on a fresh prefix with the real chron ({@link ScaleChron}) running,
 * each bounded by {@code --max-pass-seconds}. The state is made through the client's public API: jobs pushed in
 * calls of 1000, abandoned jobs claimed and abandoned as a runner does.
 */
final class ScalePasses {

    /** Slots of the runner that drains the waiting jobs. */
    static final int SLOTS = 64;

    private ScalePasses() {
    }

    /**
     * A drain of many waiting jobs.
     *
     * @param memory  Redis memory per job once they were pushed
     * @param longest Redis's longest command during the drain
     */
    record Drain(double jobsPerSecond, MemoryMeter.Reading memory, CpuMeter.Usage cpu, ScaleChron.Ticks ticks,
                 SlowCommands.Longest longest, boolean complete) {
        @Override
        public String toString() {
            return String.format("%.0f jobs/s, %.1f bytes/job, %s; %s; %s%s", jobsPerSecond, memory.bytesPerJob(), cpu, ticks, longest,
                    complete ? "" : " (CUT SHORT)");
        }
    }

    /**
     * Delayed jobs falling due at once, promoted by the chron.
     *
     * @param jobsPerSecond promoted jobs per second, from the first job's due time to the last one seen ready
     * @param lagMillis     from the last job's due time to it seen ready (by Redis's clock; polled every millisecond)
     * @param dueSpreadMs   between the first and the last due time (the pushes took that long to reach Redis)
     */
    record Promote(double jobsPerSecond, double lagMillis, double dueSpreadMs, ScaleChron.Ticks ticks, SlowCommands.Longest longest,
                   boolean complete) {
        @Override
        public String toString() {
            return String.format("%.0f jobs/s, last one ready %.1f ms after its due time (due times spread over %.0f ms); %s; %s%s",
                    jobsPerSecond, lagMillis, dueSpreadMs, ticks, longest, complete ? "" : " (CUT SHORT)");
        }
    }

    /**
     * Abandoned jobs pruned by the chron's pruner.
     *
     * @param pruneMillis the pruner's run (its duty timer), ms
     * @param longest     Redis's longest command from the chron's start to the end of that run
     */
    record Prune(double pruneMillis, long pruned, ScaleChron.Ticks ticks, SlowCommands.Longest longest, boolean complete) {
        @Override
        public String toString() {
            return String.format("pruned %d in %.1f ms; %s; %s%s", pruned, pruneMillis, ticks, longest, complete ? "" : " (CUT SHORT)");
        }
    }

    /** Pushes {@code n} waiting jobs, measures their memory, then drains them with {@value #SLOTS} slots. */
    static Drain drain(BenchContext ctx, int n) throws Exception {
        String prefix = ctx.redis().newPrefix();
        QueueName queue = BenchJobs.queue("scale");
        long deadline = System.nanoTime() + ctx.config().maxPassTime().toNanos();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix));
             ScaleChron chron = ScaleChron.start(client)) {
            MemoryMeter memory = MemoryMeter.start(ctx.redis());
            long pushed = QueueDrain.push(client, n, i -> BenchJobs.job(queue, ctx.config().paramsBytes()), deadline);
            MemoryMeter.Reading reading = memory.perJob(prefix, pushed);
            SlowCommands slow = SlowCommands.start(ctx.redis());
            HandlerProbe probe = new HandlerProbe();
            CpuMeter cpu = CpuMeter.start(ctx.redis());
            try (RunnerUnderTest runner = ctx.runners().get()) {
                runner.start(client.settings(), SLOTS, probe);
                boolean complete = pushed == n && QueueDrain.awaitHandled(probe, pushed, remaining(deadline))
                        && QueueDrain.awaitEmpty(client, List.of(queue), Duration.ofSeconds(30));
                long end = System.nanoTime();
                CpuMeter.Usage usage = cpu.stop();
                SlowCommands.Longest longest = slow.stop();
                return new Drain(probe.handled() / ((end - probe.firstStart()) / 1e9), reading, usage, chron.ticks(), longest, complete);
            }
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    /**
     * Pushes {@code n} jobs all released at the same time, a lead ahead (long enough for the pushes to end first),
     * then polls the queue until none is delayed.
     */
    static Promote promote(BenchContext ctx, int n) throws Exception {
        String prefix = ctx.redis().newPrefix();
        QueueName queue = BenchJobs.queue("scale-delayed");
        long deadline = System.nanoTime() + ctx.config().maxPassTime().toNanos();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix));
             ScaleChron chron = ScaleChron.start(client)) {
            Instant releaseAt = Instant.now().plus(lead(n));
            long pushed = QueueDrain.push(client, n, i -> BenchJobs.job(queue, ctx.config().paramsBytes()).releaseAt(releaseAt), deadline);
            long firstDue = dueTime(client, queue, 0);
            long lastDue = dueTime(client, queue, pushed - 1);
            long now = client.registry().serverTime().join();
            if (now >= firstDue) {
                throw new IllegalStateException("pushing " + pushed + " delayed jobs took longer than their lead of " + lead(n).toMillis()
                        + " ms: some fell due before the others were pushed");
            }
            Thread.sleep(Math.max(0, firstDue - now - 50));
            SlowCommands slow = SlowCommands.start(ctx.redis());
            long readyAt = -1;
            while (System.nanoTime() < deadline) {
                QueueCounts counts = client.inspector().counts(queue);
                if (counts.delayed() == 0 && counts.ready() >= pushed) {
                    readyAt = client.registry().serverTime().join();
                    break;
                }
                Thread.sleep(1);
            }
            SlowCommands.Longest longest = slow.stop();
            boolean complete = pushed == n && readyAt >= 0;
            double seconds = Math.max(1, readyAt - firstDue) / 1000.0;
            return new Promote(complete ? pushed / seconds : Double.NaN, complete ? readyAt - lastDue : Double.NaN, lastDue - firstDue,
                    chron.ticks(), longest, complete);
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    /** Time for the pushes to end before the first job falls due: 2 s, and 1 s per 20 000 jobs. */
    static Duration lead(int n) {
        return Duration.ofMillis(2000 + n / 20);
    }

    /** The release time of the queue's delayed job at {@code index} in due order (epoch ms, Redis's clock). */
    private static long dueTime(JobRunnerClient client, QueueName queue, long index) {
        List<JobInfo> jobs = client.inspector().list(queue, JobState.DELAYED, (int) index, 1);
        if (jobs.isEmpty() || jobs.get(0).stateSince() == null) {
            throw new IllegalStateException("no delayed job at " + index + " in " + queue);
        }
        return jobs.get(0).stateSince();
    }

    /**
     * Pushes {@code n} jobs, claims and abandons every one (as a runner does with a permanent failure), then starts
     * the chron, whose pruner deletes them all in its first run (the retention is 1 ms).
     */
    static Prune prune(BenchContext ctx, int n) throws Exception {
        String prefix = ctx.redis().newPrefix();
        QueueName queue = BenchJobs.queue("scale-abandoned");
        long deadline = System.nanoTime() + ctx.config().maxPassTime().toNanos();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix))) {
            long pushed = QueueDrain.push(client, n, i -> BenchJobs.job(queue, ctx.config().paramsBytes()), deadline);
            long abandoned = abandonAll(client, queue, deadline);
            Thread.sleep(5); // every job abandoned more than the 1 ms retention ago
            SlowCommands slow = SlowCommands.start(ctx.redis());
            try (ScaleChron chron = ScaleChron.start(client)) {
                long pruned = chron.awaitRuns("prune", 1, remaining(deadline)).totalCounts().getOrDefault("pruned", 0L);
                SlowCommands.Longest longest = slow.stop();
                boolean complete = pushed == n && abandoned == n && pruned == n;
                return new Prune(chron.longestRunMillis("prune"), pruned, chron.ticks(), longest, complete);
            }
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    /** Claims every ready job of the queue, up to 1000 a call, and abandons each; returns how many were abandoned. */
    private static long abandonAll(JobRunnerClient client, QueueName queue, long deadline) {
        JobConsumer consumer = client.consumer();
        long abandoned = 0;
        while (System.nanoTime() < deadline) {
            ClaimBatch batch = consumer.claim(queue, 1000, Duration.ofMinutes(10)).join();
            if (batch.jobs().isEmpty()) {
                break;
            }
            List<CompletableFuture<Boolean>> pending = new ArrayList<>(batch.jobs().size());
            for (ClaimedJob job : batch.jobs()) {
                pending.add(consumer.abandon(queue, job.ref(), "bench: abandoned for the prune measurement"));
            }
            for (CompletableFuture<Boolean> done : pending) {
                if (done.join()) {
                    abandoned++;
                }
            }
        }
        return abandoned;
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }
}
