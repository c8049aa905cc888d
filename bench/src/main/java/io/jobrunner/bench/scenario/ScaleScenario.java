package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.MemoryMeter;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.SlowCommands;
import io.jobrunner.bench.Summary;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scenario 9, scale: whether the costs stay flat as the state grows, with the real chron running throughout
 * ({@link ScaleChron}) and Redis's slow log watching ({@link SlowCommands}). Passes ({@link ScalePasses}):
 * <ol>
 *   <li>{@code --scale-jobs} waiting jobs (1 000 000) pushed in calls of 1000: memory per job ({@link MemoryMeter},
 *       as the memory scenario) and their drain with 64 slots, against the same for 100 000 jobs;</li>
 *   <li>{@code --scale-delayed} delayed jobs (100 000) falling due at once: the chron's promote rate and the lag of
 *       the last one, from its due time to it being ready;</li>
 *   <li>{@code --scale-abandoned} abandoned jobs (100 000) deleted by the chron's pruner: the prune's time and
 *       Redis's longest command meanwhile;</li>
 *   <li>in each, the chron's due tick (median and max, from its duty timer) and the longest command.</li>
 * </ol>
 */
public final class ScaleScenario implements Scenario {

    /** The label of a drain of {@code jobs} waiting jobs (jobs/s); the targets find it by it. */
    public static String drainLabel(int jobs) {
        return "drain " + jobs + " waiting jobs, " + ScalePasses.SLOTS + " slots";
    }

    /** The label of the memory per waiting job with {@code jobs} jobs stored (bytes/job). */
    public static String memoryLabel(int jobs) {
        return "memory per waiting job, " + jobs + " jobs";
    }

    /** The label of the prune's time (ms). */
    public static String pruneLabel(int jobs) {
        return "prune " + jobs + " abandoned jobs (chron pruner run)";
    }

    /** The label of the longest Redis command during the prune (ms). */
    public static String longestDuringPruneLabel(int jobs) {
        return "longest Redis command, prune of " + jobs;
    }

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Map<String, String> saved = SlowCommands.configure(ctx.redis());
        try {
            int base = ctx.config().scaleBaseJobs();
            int big = ctx.config().scaleJobs();
            Summary baseRate = drains(ctx, base, null);
            drains(ctx, big, baseRate);
            promote(ctx, ctx.config().scaleDelayed());
            prune(ctx, ctx.config().scaleAbandoned());
        } finally {
            SlowCommands.restore(ctx.redis(), saved);
        }
    }

    /** Drains of {@code n} jobs; returns their rate (the base, to compare the big one with). */
    private Summary drains(BenchContext ctx, int n, Summary baseRate) throws Exception {
        List<ScalePasses.Drain> outcomes = Repeats.run("scale: drain " + n + " waiting jobs", ctx.config().repeats(), ctx.log(),
                i -> ScalePasses.drain(ctx, i == 0 ? Math.min(n, Math.max(1000, n / 100)) : n));
        Summary rate = Repeats.summary(outcomes, ScalePasses.Drain::jobsPerSecond);
        ScalePasses.Drain median = outcomes.get(outcomes.size() / 2);
        String vsBase = baseRate == null ? "" : String.format(", %.0f%% of the %d-job rate", 100 * rate.median() / baseRate.median(),
                ctx.config().scaleBaseJobs());
        ctx.results().add(name(), drainLabel(n), "jobs/s", rate, median.cpu() + vsBase + cutShort(outcomes, ScalePasses.Drain::complete));
        ctx.results().add(name(), memoryLabel(n), "bytes/job", Repeats.summary(outcomes, d -> d.memory().bytesPerJob()),
                MemoryMeter.how(ctx.redis()));
        String where = "drain of " + n;
        ticks(ctx, where, outcomes, ScalePasses.Drain::ticks);
        longest(ctx, "longest Redis command, " + where, outcomes, ScalePasses.Drain::longest);
        ctx.results().detail(name(), where, Map.of(
                "usedMemoryPerJob", Repeats.summary(outcomes, d -> d.memory().usedMemoryPerJob()),
                "keysMemoryPerJob", Repeats.summary(outcomes, d -> d.memory().keysPerJob()),
                "chronDuties", median.ticks().duties()));
        return rate;
    }

    private void promote(BenchContext ctx, int n) throws Exception {
        List<ScalePasses.Promote> outcomes = Repeats.run("scale: promote " + n + " delayed jobs", ctx.config().repeats(), ctx.log(),
                i -> ScalePasses.promote(ctx, i == 0 ? Math.min(n, Math.max(100, n / 10)) : n));
        String cut = cutShort(outcomes, ScalePasses.Promote::complete);
        ctx.results().add(name(), "promote " + n + " delayed jobs due at once", "jobs/s",
                Repeats.summary(outcomes, ScalePasses.Promote::jobsPerSecond), "first due time to the last job ready, by the real chron" + cut);
        ctx.results().add(name(), "promote lag of the last job, " + n + " delayed", "ms", Repeats.summary(outcomes, ScalePasses.Promote::lagMillis),
                String.format("its due time to it seen ready (1 ms polls); due times spread over %.0f ms",
                        outcomes.get(outcomes.size() / 2).dueSpreadMs()));
        String where = "promote of " + n;
        ticks(ctx, where, outcomes, ScalePasses.Promote::ticks);
        longest(ctx, "longest Redis command, " + where, outcomes, ScalePasses.Promote::longest);
        ctx.results().detail(name(), where, Map.of("chronDuties", outcomes.get(outcomes.size() / 2).ticks().duties()));
    }

    private void prune(BenchContext ctx, int n) throws Exception {
        List<ScalePasses.Prune> outcomes = Repeats.run("scale: prune " + n + " abandoned jobs", ctx.config().repeats(), ctx.log(),
                i -> ScalePasses.prune(ctx, i == 0 ? Math.min(n, Math.max(100, n / 10)) : n));
        Summary time = Repeats.summary(outcomes, ScalePasses.Prune::pruneMillis);
        ctx.results().add(name(), pruneLabel(n), "ms", time,
                String.format("%,.0f jobs/s", n / (time.median() / 1000)) + cutShort(outcomes, ScalePasses.Prune::complete));
        String where = "prune of " + n;
        ticks(ctx, where, outcomes, ScalePasses.Prune::ticks);
        longest(ctx, longestDuringPruneLabel(n), outcomes, ScalePasses.Prune::longest);
        ctx.results().detail(name(), where, Map.of("chronDuties", outcomes.get(outcomes.size() / 2).ticks().duties()));
    }

    private <T> void ticks(BenchContext ctx, String where, List<T> outcomes, Function<T, ScaleChron.Ticks> ticks) {
        ctx.results().add(name(), "chron due tick p50, " + where, "ms", Repeats.summary(outcomes, o -> ticks.apply(o).dueMedianMillis()),
                "chron.duty.due.time");
        ctx.results().add(name(), "chron due tick max, " + where, "ms", Repeats.summary(outcomes, o -> ticks.apply(o).dueMaxMillis()),
                "due ticks in the pass: " + ticks.apply(outcomes.get(outcomes.size() / 2)).dueTicks());
    }

    private <T> void longest(BenchContext ctx, String label, List<T> outcomes, Function<T, SlowCommands.Longest> longest) {
        SlowCommands.Longest median = longest.apply(outcomes.get(outcomes.size() / 2));
        ctx.results().add(name(), label, "ms", Repeats.summary(outcomes, o -> longest.apply(o).millis()),
                median.entries() == 0 ? "no command over the slow-log threshold" : median.command() + ", SLOWLOG"
                        + (Double.isNaN(median.latencyMillis()) ? "" : String.format("; LATENCY max %.0f ms", median.latencyMillis())));
    }

    private static <T> String cutShort(List<T> outcomes, Function<T, Boolean> complete) {
        return outcomes.stream().allMatch(complete::apply) ? "" : ", some passes cut short";
    }
}
