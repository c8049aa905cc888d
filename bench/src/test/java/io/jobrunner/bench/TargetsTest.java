package io.jobrunner.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The targets computed from figures of one run, put into a {@link Results} as the scenarios name them. */
class TargetsTest {

    private static BenchConfig config(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main.config();
    }

    private static TargetResult target(Results r, String name) {
        return r.targets().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                "no target " + name + " in " + r.targets().stream().map(TargetResult::name).toList()));
    }

    private static void add(Results r, String scenario, String name, double median) {
        r.add(scenario, name, "", Summary.single(median), "");
    }

    @Test
    void everyTargetIsStatedEvenWhenNothingRan() {
        Results r = new Results();
        Targets.evaluate(r, config());
        assertThat(r.targets()).extracting(TargetResult::verdict).containsOnly("n/a");
        assertThat(r.targets()).extracting(TargetResult::name).contains("drain, 64 slots", "drain, Redis CPU per job across slot counts",
                "drain, throughput as slots rise", "single pushes, 1 producer", "single pushes, 8 producers",
                "idle pickup, 1 slot, 2 ms apart", "idle pickup, 8 slots, 5 ms apart", "many queues, drain",
                "scale, drain 1000000 jobs (64 slots)", "scale, memory per job with 1000000",
                "scale, longest Redis command while pruning 100000 abandoned jobs");
    }

    @Test
    void singlePushesAgainstThePingRateAndTheCeiling() {
        Results r = new Results();
        add(r, "ceiling", "script (rpop+hset+zadd)", 200_000);
        add(r, "ceiling", "PING round trips, one at a time", 20_000);
        add(r, "push", "single, 1 producer", 13_000);
        add(r, "push", "single, 8 producers", 79_000);
        Targets.evaluate(r, config());
        TargetResult one = target(r, "single pushes, 1 producer");
        assertThat(one.met()).isTrue();
        assertThat(one.measured()).isEqualTo("13,000 jobs/s = 65% of 20,000 PING/s");
        TargetResult eight = target(r, "single pushes, 8 producers");
        assertThat(eight.met()).isFalse();
        assertThat(eight.measured()).startsWith("79,000 jobs/s = 40% of 200,000"); // 39.5% rounds up in the text, not in the verdict
    }

    @Test
    void idlePickupPerShapeWithItsMax() {
        Results r = new Results();
        for (String shape : List.of("1 slot, 2 ms apart", "8 slots, 5 ms apart")) {
            boolean fast = shape.startsWith("1 ");
            add(r, "idle", "pickup p50, 2000 jobs, " + shape, fast ? 0.5 : 0.4);
            add(r, "idle", "pickup p99, 2000 jobs, " + shape, fast ? 1.0 : 1.2);
            add(r, "idle", "pickup max, 2000 jobs, " + shape, 3.5);
        }
        Targets.evaluate(r, config());
        TargetResult one = target(r, "idle pickup, 1 slot, 2 ms apart");
        assertThat(one.met()).as("the bounds are inclusive").isTrue();
        assertThat(one.measured()).isEqualTo("p50 0.500 ms, p99 1.000 ms, max 3.500 ms");
        assertThat(target(r, "idle pickup, 8 slots, 5 ms apart").met()).isFalse();
    }

    @Test
    void theSlotSweepIsReadFromTheDrainFigures() {
        Results r = new Results();
        double[] rates = {10_000, 18_000, 30_000, 45_000, 60_000, 70_000, 69_000, 40_000};
        double[] micros = {29.9, 24, 23, 23, 24, 25, 26, 28};
        List<Integer> slots = List.of(1, 2, 4, 8, 16, 32, 64, 128);
        for (int i = 0; i < slots.size(); i++) {
            add(r, "drain", slots.get(i) + " slots", rates[i]);
            add(r, "drain", "Redis CPU per job, " + slots.get(i) + " slots", micros[i]);
        }
        Targets.evaluate(r, config());
        assertThat(target(r, "drain, throughput as slots rise").met()).as("64 slots at 98.6% of 32, 128 left out").isTrue();
        assertThat(target(r, "drain, Redis CPU per job across slot counts").met()).as("29.9 / 23 = 1.30").isTrue();
    }

    @Test
    void scaleComparesTheBigStateWithTheBaseOneWay() {
        Results r = new Results();
        add(r, "scale", "drain 100000 waiting jobs, 64 slots", 50_000);
        add(r, "scale", "drain 1000000 waiting jobs, 64 slots", 56_000);
        add(r, "scale", "memory per waiting job, 100000 jobs", 250);
        add(r, "scale", "memory per waiting job, 1000000 jobs", 280);
        r.add("scale", "longest Redis command, prune of 100000", "ms", Summary.single(9.9), "evalsha prune, SLOWLOG");
        add(r, "scale", "prune 100000 abandoned jobs (chron pruner run)", 2100);
        Targets.evaluate(r, config());
        TargetResult drain = target(r, "scale, drain 1000000 jobs (64 slots)");
        assertThat(drain.met()).as("faster with more jobs is no miss").isTrue();
        assertThat(drain.measured()).startsWith("112%");
        TargetResult memory = target(r, "scale, memory per job with 1000000");
        assertThat(memory.met()).as("12% more bytes per job").isFalse();
        TargetResult longest = target(r, "scale, longest Redis command while pruning 100000 abandoned jobs");
        assertThat(longest.met()).isTrue();
        assertThat(longest.measured()).isEqualTo("9.900 ms (evalsha prune, SLOWLOG); the prune took 2100 ms");
    }

    @Test
    void scaleComparisonEdges() {
        Metric base = new Metric("scale", "x", "jobs/s", Summary.single(100), "");
        Metric slower = new Metric("scale", "y", "jobs/s", Summary.single(89.9), "");
        Metric justIn = new Metric("scale", "y", "jobs/s", Summary.single(90), "");
        assertThat(ScaleTargets.compare("n", "g", java.util.Optional.of(slower), java.util.Optional.of(base), "jobs/s", true).met()).isFalse();
        assertThat(ScaleTargets.compare("n", "g", java.util.Optional.of(justIn), java.util.Optional.of(base), "jobs/s", true).met()).isTrue();
        assertThat(ScaleTargets.compare("n", "g", java.util.Optional.empty(), java.util.Optional.of(base), "jobs/s", true).met()).isNull();
    }
}
