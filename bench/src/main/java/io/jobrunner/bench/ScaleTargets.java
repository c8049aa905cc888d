package io.jobrunner.bench;

import io.jobrunner.bench.scenario.ScaleScenario;

import java.util.Optional;

/**
 * The scale scenario's targets, against its figures (medians) of the same run:
 * <ol>
 *   <li>the drain of {@code --scale-jobs} waiting jobs at most {@value #WITHIN_PERCENT}% slower than the drain of the
 *       base count (100 000, {@link BenchConfig#scaleBaseJobs()});</li>
 *   <li>memory per waiting job with {@code --scale-jobs} jobs at most {@value #WITHIN_PERCENT}% above the base count's;</li>
 *   <li>Redis's longest command while the chron prunes {@code --scale-abandoned} jobs under {@value #LONGEST_MILLIS} ms.</li>
 * </ol>
 * "Within 10%" is taken one way: a bigger state that drains faster or stores jobs in fewer bytes is no miss.
 */
public final class ScaleTargets {

    static final int WITHIN_PERCENT = 10;
    static final double LONGEST_MILLIS = 10.0;

    private ScaleTargets() {
    }

    public static void evaluate(Results r, BenchConfig config) {
        int base = config.scaleBaseJobs();
        int big = config.scaleJobs();
        r.target(compare("scale, drain " + big + " jobs (64 slots)", "at most " + WITHIN_PERCENT + "% slower than with " + base,
                r.find("scale", ScaleScenario.drainLabel(big)), r.find("scale", ScaleScenario.drainLabel(base)), "jobs/s", true));
        r.target(compare("scale, memory per job with " + big, "at most " + WITHIN_PERCENT + "% above that with " + base,
                r.find("scale", ScaleScenario.memoryLabel(big)), r.find("scale", ScaleScenario.memoryLabel(base)), "bytes/job", false));
        int abandoned = config.scaleAbandoned();
        Optional<Metric> longest = r.find("scale", ScaleScenario.longestDuringPruneLabel(abandoned));
        Optional<Metric> prune = r.find("scale", ScaleScenario.pruneLabel(abandoned));
        String name = "scale, longest Redis command while pruning " + abandoned + " abandoned jobs";
        String goal = "< " + (int) LONGEST_MILLIS + " ms (SLOWLOG)";
        if (longest.isEmpty()) {
            r.target(new TargetResult(name, goal, "not run", null));
        } else {
            double ms = longest.get().value().median();
            r.target(new TargetResult(name, goal, String.format("%.3f ms (%s)%s", ms, longest.get().note(),
                    prune.map(p -> String.format("; the prune took %.0f ms", p.value().median())).orElse("")), ms < LONGEST_MILLIS));
        }
    }

    /**
     * {@code big} against {@code base}: with {@code higherIsBetter}, met when big >= (100 - {@value #WITHIN_PERCENT})% of
     * base; else when big <= (100 + {@value #WITHIN_PERCENT})% of base.
     */
    static TargetResult compare(String name, String goal, Optional<Metric> big, Optional<Metric> base, String unit, boolean higherIsBetter) {
        if (big.isEmpty() || base.isEmpty()) {
            return new TargetResult(name, goal, "not run", null);
        }
        double a = big.get().value().median();
        double b = base.get().value().median();
        double ratio = a / b;
        boolean met = higherIsBetter ? ratio >= 1 - WITHIN_PERCENT / 100.0 : ratio <= 1 + WITHIN_PERCENT / 100.0;
        return new TargetResult(name, goal, String.format("%.0f%%: %,.1f vs %,.1f %s", 100 * ratio, a, b, unit), met);
    }
}
