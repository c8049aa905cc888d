package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.CpuMeter;
import io.jobrunner.bench.HandlerProbe;
import io.jobrunner.bench.QueueDrain;
import io.jobrunner.bench.RedisInfo;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.Summary;
import io.jobrunner.bench.runner.RunnerUnderTest;
import io.jobrunner.bench.runner.Runners;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Scenario 3, drain (and scenario 8, Redis commands per job): N no-op jobs already waiting in one queue are
 * drained by one runner at each slot count of the sweep (1, 2, 4, ... 128). Reports jobs/s from the first job's
 * start to the last ack (the queue seen with no ready or claimed job), Redis and JVM CPU over the pass, Redis
 * CPU per job ({@code INFO cpu} delta over the jobs, in microseconds), and, from {@code INFO commandstats}
 * deltas, calls per job of each command (top-level and inside scripts alike) and network bytes per job. At 1, 8
 * and 64 slots (those of the sweep) the measured runner also drains the same number of jobs with priorities 0
 * to 9 mixed (job i has priority i % 10), so the cost of per-job priority shows beside the one-priority figure.
 */
public final class DrainScenario implements Scenario {

    /** The slot counts that also drain jobs of mixed priorities (when swept). */
    static final Set<Integer> PRIORITY_SLOTS = Set.of(1, 8, 64);

    /**
     * What one drain pass measured.
     *
     * @param redisMicrosPerJob Redis CPU (user + system, {@code INFO cpu}) over the pass, per job handled, in µs
     */
    public record Outcome(double jobsPerSecond, CpuMeter.Usage cpu, Map<String, Double> callsPerJob,
                          double bytesInPerJob, double bytesOutPerJob, double scriptMicrosPerJob, double redisMicrosPerJob,
                          boolean complete) {
        @Override
        public String toString() {
            return String.format("%.0f jobs/s, %s, redis %.1f µs/job%s", jobsPerSecond, cpu, redisMicrosPerJob, complete ? "" : " (CUT SHORT)");
        }
    }

    /** The name of the Redis-CPU-per-job metric at a slot count (the targets find it by it). */
    public static String redisCpuLabel(int slots) {
        return "Redis CPU per job, " + slots + " slots";
    }

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        for (String runner : ctx.runnerNames()) {
            measure(ctx, runner, Runners.named(runner), runner.equals(ctx.config().runner()));
        }
    }

    private void measure(BenchContext ctx, String runnerName, Supplier<RunnerUnderTest> runners, boolean primary) throws Exception {
        int n = ctx.config().drainJobs();
        double ceiling = CeilingScenario.ceiling(ctx.results());
        String suffix = ctx.suffix(runnerName);
        Outcome atMainSlots = null;
        for (int slots : ctx.config().drainSlots()) {
            List<Outcome> outcomes = Repeats.run("drain " + n + " jobs, " + slots + " slots" + suffix, ctx.config().repeats(), ctx.log(),
                    i -> pass(ctx, runners, List.of(BenchJobs.queue("drain")), i == 0 ? Math.max(1000, n / 10) : n, slots, new Observer() { }));
            if (primary && PRIORITY_SLOTS.contains(slots)) {
                List<Outcome> mixed = Repeats.run("drain " + n + " jobs of priorities 0-9, " + slots + " slots", ctx.config().repeats(),
                        ctx.log(), i -> pass(ctx, runners, List.of(BenchJobs.queue("drain")), i == 0 ? Math.max(1000, n / 10) : n, slots,
                                new Observer() { }, true));
                Summary mixedRate = Repeats.summary(mixed, Outcome::jobsPerSecond);
                ctx.results().add(name(), slots + " slots, priorities 0-9 mixed", "jobs/s", mixedRate,
                        nearest(mixed, mixedRate.median()).cpu() + ", the same jobs with a priority each");
            }
            Summary rate = Repeats.summary(outcomes, Outcome::jobsPerSecond);
            Outcome median = nearest(outcomes, rate.median());
            String note = median.cpu() + (Double.isNaN(ceiling) ? "" : String.format(", %.0f%% of ceiling", 100 * rate.median() / ceiling))
                    + (outcomes.stream().allMatch(Outcome::complete) ? "" : ", some passes cut short");
            ctx.results().add(name(), slots + " slots" + suffix, "jobs/s", rate, note);
            ctx.results().add(name(), redisCpuLabel(slots) + suffix, "µs/job", Repeats.summary(outcomes, Outcome::redisMicrosPerJob),
                    "INFO cpu delta over the pass / jobs");
            ctx.results().throughput(runnerName + ", one queue", slots, rate);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("redisCpuCores", Repeats.summary(outcomes, o -> o.cpu().redisCores()));
            detail.put("jvmCpuCores", Repeats.summary(outcomes, o -> o.cpu().jvmCores()));
            detail.put("redisCommandsPerJob", median.callsPerJob());
            detail.put("scriptMicrosPerJob (evalsha usec in Redis)", median.scriptMicrosPerJob());
            detail.put("netInputBytesPerJob", median.bytesInPerJob());
            detail.put("netOutputBytesPerJob", median.bytesOutPerJob());
            ctx.results().detail(name(), slots + " slots" + suffix, detail);
            if (primary && slots == ctx.config().mainSlots()) {
                atMainSlots = median;
            }
        }
        if (atMainSlots != null) { // after the sweep, so the drain rows stay together
            int slots = ctx.config().mainSlots();
            double total = atMainSlots.callsPerJob().values().stream().mapToDouble(Double::doubleValue).sum();
            ctx.results().add("commands", "all commands per job, " + slots + " slots", "calls/job",
                    Summary.single(total), "INFO commandstats delta; commands run inside scripts included");
            atMainSlots.callsPerJob().forEach((cmd, perJob) -> {
                if (perJob >= 0.005) {
                    ctx.results().add("commands", "  " + cmd, "calls/job", Summary.single(perJob), "");
                }
            });
        }
    }

    private static Outcome nearest(List<Outcome> outcomes, double rate) {
        Outcome best = outcomes.get(0);
        for (Outcome o : outcomes) {
            if (Math.abs(o.jobsPerSecond() - rate) < Math.abs(best.jobsPerSecond() - rate)) {
                best = o;
            }
        }
        return best;
    }

    /** Called around the timed part of a pass (the MONITOR pass counts only between them). */
    public interface Observer {
        default void filled() throws Exception {
        }

        default void drained() throws Exception {
        }
    }

    /** Fills the queues with {@code total} jobs spread evenly, drains them with a new runner, and measures. */
    public static Outcome pass(BenchContext ctx, List<QueueName> queues, int total, int slots) throws Exception {
        return pass(ctx, ctx.runners(), queues, total, slots, new Observer() { });
    }

    public static Outcome pass(BenchContext ctx, Supplier<RunnerUnderTest> runners, List<QueueName> queues, int total,
                               int slots, Observer observer) throws Exception {
        return pass(ctx, runners, queues, total, slots, observer, false);
    }

    /** As above; with {@code priorities} the jobs carry priorities 0 to 9 ({@link QueueDrain#fill}). */
    public static Outcome pass(BenchContext ctx, Supplier<RunnerUnderTest> runners, List<QueueName> queues, int total,
                               int slots, Observer observer, boolean priorities) throws Exception {
        String prefix = ctx.redis().newPrefix();
        Duration bound = ctx.config().maxPassTime();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix))) {
            QueueDrain.fill(client, queues, Math.max(1, total / queues.size()), ctx.config().paramsBytes(), priorities);
            long jobs = (long) Math.max(1, total / queues.size()) * queues.size();
            HandlerProbe probe = new HandlerProbe();
            observer.filled();
            RedisInfo before = ctx.redis().info("everything");
            CpuMeter cpu = CpuMeter.start(ctx.redis());
            boolean complete;
            long end;
            CpuMeter.Usage usage;
            RedisInfo after;
            try (RunnerUnderTest runner = runners.get()) {
                runner.start(client.settings(), slots, probe);
                complete = QueueDrain.awaitHandled(probe, jobs, bound)
                        && QueueDrain.awaitEmpty(client, queues, Duration.ofSeconds(30));
                end = System.nanoTime();
                usage = cpu.stop();
                after = ctx.redis().info("everything");
                observer.drained();
            }
            long handled = probe.handled();
            double seconds = (end - probe.firstStart()) / 1e9;
            Map<String, Double> perJob = new TreeMap<>();
            after.callsSince(before).forEach((cmd, calls) -> {
                if (!cmd.equals("info")) {
                    perJob.put(cmd, Math.round(calls * 1000.0 / handled) / 1000.0);
                }
            });
            double in = (after.asLong("total_net_input_bytes") - before.asLong("total_net_input_bytes")) / (double) handled;
            double out = (after.asLong("total_net_output_bytes") - before.asLong("total_net_output_bytes")) / (double) handled;
            double scriptMicros = after.usecSince(before, "evalsha") / (double) handled;
            double redisMicros = usage.redisCores() * usage.seconds() * 1e6 / handled;
            return new Outcome(handled / seconds, usage, perJob, Math.round(in), Math.round(out),
                    Math.round(scriptMicros * 100) / 100.0, Math.round(redisMicros * 100) / 100.0, complete);
        } finally {
            ctx.redis().clean(prefix);
        }
    }
}
