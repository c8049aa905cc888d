package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.MonitorTap;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.Summary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8, Redis commands per job, by script: one extra drain pass (not timed, at 64 slots, or the largest swept)
 * under {@code MONITOR}, so each {@code evalsha} is named by its script and the commands each script runs
 * inside are counted apart from the ones the runner sends. The drain scenario reports the same totals from
 * {@code INFO commandstats} deltas on its timed passes.
 */
public final class CommandsScenario implements Scenario {

    static final int MAX_JOBS = 20_000;

    @Override
    public String name() {
        return "commands";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int jobs = Math.min(MAX_JOBS, ctx.config().drainJobs());
        int slots = ctx.config().mainSlots();
        Map<String, String> ceilingScript = Map.of(ctx.redis().admin().scriptLoad(CeilingScenario.SCRIPT), "ceiling");
        try (MonitorTap tap = MonitorTap.open(ctx.redis().uri(), ceilingScript)) {
            DrainScenario.Outcome outcome = DrainScenario.pass(ctx, ctx.runners(), List.of(BenchJobs.queue("commands")), jobs, slots,
                    new DrainScenario.Observer() {
                        @Override
                        public void filled() {
                            tap.start();
                        }

                        @Override
                        public void drained() throws Exception {
                            tap.stop(ctx.redis().admin());
                        }
                    });
            ctx.log().printf("  commands: MONITOR drain of %d jobs, %d slots: %s%n", jobs, slots, outcome);
            Map<String, Double> top = perJob(tap.topLevel(), jobs);
            Map<String, Double> inside = perJob(tap.inScripts(), jobs);
            double round = top.values().stream().mapToDouble(Double::doubleValue).sum();
            double all = round + inside.values().stream().mapToDouble(Double::doubleValue).sum();
            String where = jobs + " jobs, " + slots + " slots, MONITOR";
            ctx.results().add(name(), "sent by the runner per job", "commands/job", Summary.single(round), where);
            top.forEach((cmd, n) -> {
                if (n >= 0.005) {
                    ctx.results().add(name(), "  " + cmd, "calls/job", Summary.single(n), "");
                }
            });
            ctx.results().add(name(), "run inside scripts per job", "commands/job", Summary.single(all - round), where);
            ctx.results().detail(name(), "top-level commands per job (MONITOR)", top);
            ctx.results().detail(name(), "commands inside scripts per job (MONITOR)", inside);
        }
    }

    private static Map<String, Double> perJob(Map<String, Long> counts, int jobs) {
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((cmd, n) -> {
            if (!cmd.equals("info") && !cmd.equals("echo")) {
                out.put(cmd, Math.round(n * 1000.0 / jobs) / 1000.0);
            }
        });
        return out;
    }
}
