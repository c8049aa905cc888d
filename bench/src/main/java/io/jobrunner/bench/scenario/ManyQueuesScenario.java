package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.Summary;
import io.jobrunner.client.QueueName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 7, many queues: Q queues (domains x types) with J jobs each, drained by one runner at 64 slots (or
 * the largest swept when the sweep has no 64), against the same number of jobs in one queue; the ratio is the
 * cost of picking among many queues. The chron's tick cost, with and without Q empty known queues, is measured
 * by {@link ChronTickCost}.
 */
public final class ManyQueuesScenario implements Scenario {

    @Override
    public String name() {
        return "many-queues";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int q = ctx.config().queues();
        int perQueue = ctx.config().jobsPerQueue();
        int total = q * perQueue;
        int slots = ctx.config().mainSlots();
        List<QueueName> many = queues(q);
        List<DrainScenario.Outcome> spread = Repeats.run("drain " + q + " queues x " + perQueue + " jobs, " + slots + " slots",
                ctx.config().repeats(), ctx.log(), i -> DrainScenario.pass(ctx, i == 0 ? many.subList(0, Math.max(1, q / 10)) : many,
                        i == 0 ? Math.max(1, q / 10) * perQueue : total, slots));
        List<DrainScenario.Outcome> single = Repeats.run("drain 1 queue x " + total + " jobs, " + slots + " slots",
                ctx.config().repeats(), ctx.log(), i -> DrainScenario.pass(ctx, List.of(BenchJobs.queue("one")),
                        i == 0 ? Math.max(1, total / 10) : total, slots));
        Summary spreadRate = Repeats.summary(spread, DrainScenario.Outcome::jobsPerSecond);
        Summary singleRate = Repeats.summary(single, DrainScenario.Outcome::jobsPerSecond);
        ctx.results().add(name(), "drain " + q + " queues x " + perQueue + ", " + slots + " slots", "jobs/s", spreadRate,
                spread.get(spread.size() / 2).cpu() + String.format(", %.0f%% of one queue", 100 * spreadRate.median() / singleRate.median()));
        ctx.results().add(name(), "drain 1 queue x " + total + ", " + slots + " slots", "jobs/s", singleRate,
                single.get(single.size() / 2).cpu().toString());
        ctx.results().detail(name(), "many/one ratio", spreadRate.median() / singleRate.median());
        chronTicks(ctx, many);
    }

    private void chronTicks(BenchContext ctx, List<QueueName> many) throws Exception {
        Duration window = ctx.config().repeats() == 1 ? Duration.ofSeconds(1) : Duration.ofSeconds(3);
        for (List<QueueName> queues : List.of(ChronTickCost.single(), many)) {
            String label = queues.size() == 1 ? "1 queue" : queues.size() + " empty queues";
            List<ChronTickCost.Outcome> outcomes = Repeats.run("chron tick, " + label, ctx.config().repeats(), ctx.log(),
                    i -> ChronTickCost.measure(ctx, queues, i == 0 ? Duration.ofMillis(500) : window));
            ctx.results().add(name(), "chron tick, " + label, "ms", Repeats.summary(outcomes, ChronTickCost.Outcome::tickMillis),
                    "due duty, median tick (chron.duty.due.time)");
            ctx.results().add(name(), "chron commands per tick, " + label, "commands", Repeats.summary(outcomes,
                    ChronTickCost.Outcome::commandsPerTick), "all Redis commands in the window / ticks (lease renewals included)");
            ctx.results().add(name(), "chron registry repair pass, " + label, "ms", Repeats.summary(outcomes,
                    ChronTickCost.Outcome::repairMillis), "walks every known queue; every repair-interval (5 s)");
        }
        List<Double> catchUp = Repeats.run("chron catch-up tick, " + many.size() + " queues", ctx.config().repeats(), ctx.log(),
                i -> ChronTickCost.catchUp(ctx, i == 0 ? many.subList(0, Math.max(1, many.size() / 10)) : many));
        ctx.results().add(name(), "chron catch-up tick, " + many.size() + " drained queues", "ms", Summary.of(catchUp),
                "once, when their last claim deadlines fall due: one workDue per queue");
    }

    /** {@code count} queues: about sqrt(count) types (benchNoop0, ...) in as many domains (d0, ...). */
    public static List<QueueName> queues(int count) {
        int types = (int) Math.ceil(Math.sqrt(count));
        List<QueueName> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new QueueName("d" + i / types, BenchJobs.TYPE + i % types));
        }
        return out;
    }
}
