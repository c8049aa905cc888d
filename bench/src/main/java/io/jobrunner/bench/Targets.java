package io.jobrunner.bench;

import io.jobrunner.bench.scenario.CeilingScenario;
import io.jobrunner.bench.scenario.EndToEndScenario;
import io.jobrunner.bench.scenario.IdlePickupScenario;
import io.jobrunner.bench.scenario.PushScenario;

import java.util.Optional;

/**
 * The targets, checked against the medians measured in the same run (stated as met or missed; nothing
 * asserts them). A target whose scenario did not run is "n/a". The slot sweep's and the scale scenario's targets
 * are in {@link SweepTargets} and {@link ScaleTargets}.
 */
public final class Targets {

    private Targets() {
    }

    public static void evaluate(Results r, BenchConfig config) {
        double ceiling = CeilingScenario.ceiling(r);
        int mainSlots = config.mainSlots();

        Optional<Metric> drain = r.find("drain", mainSlots + " slots");
        r.target(fraction("drain, " + mainSlots + " slots", ">= 45% of the ceiling's script calls/s", drain, ceiling, 0.45));
        SweepTargets.evaluate(r, config);

        for (int batch : config.e2eBatches()) {
            String pushes = EndToEndScenario.pushes(batch);
            Optional<Metric> e2e = r.findPrefix("e2e", "saturated, " + config.e2eProducers() + " producers (" + pushes + ")");
            Optional<Metric> p99 = r.findPrefix("e2e", "pickup p99, saturated (backlog <= " + EndToEndScenario.BACKLOG + ")"
                    + (batch == 1 ? "" : ", " + pushes));
            TargetResult e2eTarget = fraction("end-to-end, saturated, " + pushes, ">= 20% of the ceiling, p99 pickup reported",
                    e2e, ceiling, 0.20);
            if (p99.isPresent() && e2eTarget.met() != null) {
                e2eTarget = new TargetResult(e2eTarget.name(), e2eTarget.goal(),
                        e2eTarget.measured() + String.format(", p99 pickup %.2f ms", p99.get().value().median()), e2eTarget.met());
            }
            r.target(e2eTarget);
        }

        Optional<Metric> b100 = r.findPrefix("push", "batch 100,");
        Optional<Metric> b1000 = r.findPrefix("push", "batch 1000,");
        Optional<Metric> batched = b100.isEmpty() ? b1000 : b1000.isEmpty() ? b100
                : Optional.of(b100.get().value().median() >= b1000.get().value().median() ? b100.get() : b1000.get());
        r.target(fraction("batched push (best of 100, 1000)", ">= 50% of the ceiling", batched, ceiling, 0.50));
        singlePushes(r, config, ceiling);

        for (IdleShape shape : config.idleShapes()) {
            idle(r, IdlePickupScenario.label(config.idleJobs(), shape), shape);
        }

        Optional<Metric> memory = r.findPrefix("memory", "per waiting job");
        r.target(memory.map(m -> new TargetResult("memory per waiting job", "< 300 bytes with 100-byte params",
                        String.format("%.0f bytes", m.value().median()), m.value().median() < 300))
                .orElse(new TargetResult("memory per waiting job", "< 300 bytes with 100-byte params", "not run", null)));

        Optional<Metric> many = r.findPrefix("many-queues", "drain " + config.queues() + " queues");
        Optional<Metric> one = r.findPrefix("many-queues", "drain 1 queue");
        if (many.isPresent() && one.isPresent()) {
            double ratio = many.get().value().median() / one.get().value().median();
            r.target(new TargetResult("many queues, drain", ">= 80% of the single-queue figure",
                    String.format("%.0f%% (%,.0f vs %,.0f jobs/s)", ratio * 100, many.get().value().median(), one.get().value().median()),
                    ratio >= 0.8));
        } else {
            r.target(new TargetResult("many queues, drain", ">= 80% of the single-queue figure", "not run", null));
        }

        Optional<Metric> tickOne = r.findPrefix("many-queues", "chron tick, 1 queue");
        Optional<Metric> tickMany = r.findPrefix("many-queues", "chron tick, " + config.queues());
        if (tickOne.isPresent() && tickMany.isPresent()) {
            double a = tickOne.get().value().median();
            double b = tickMany.get().value().median();
            r.target(new TargetResult("many queues, chron tick", "independent of the number of empty queues (within 2x or 1 ms)",
                    String.format("%.3f ms with 1 queue, %.3f ms with %d empty queues", a, b, config.queues()),
                    b <= Math.max(2 * a, a + 1.0)));
        } else {
            r.target(new TargetResult("many queues, chron tick", "independent of the number of empty queues", "not measured", null));
        }
        ScaleTargets.evaluate(r, config);
    }

    /** Single pushes: one producer awaiting each call against the PING round-trip rate; N producers against the ceiling. */
    private static void singlePushes(Results r, BenchConfig config, double ceiling) {
        String goal = ">= 65% of the PING round-trip rate (one connection, one at a time)";
        Optional<Metric> one = r.find("push", PushScenario.label(1, 1));
        double ping = CeilingScenario.pingRate(r);
        if (one.isEmpty() || Double.isNaN(ping)) {
            r.target(new TargetResult("single pushes, 1 producer", goal, one.isEmpty() ? "not run" : "no PING rate measured", null));
        } else {
            double value = one.get().value().median();
            r.target(new TargetResult("single pushes, 1 producer", goal,
                    String.format("%,.0f jobs/s = %.0f%% of %,.0f PING/s", value, 100 * value / ping, ping), value / ping >= 0.65));
        }
        int producers = config.producers();
        r.target(fraction("single pushes, " + producers + " producers", ">= 40% of the ceiling",
                r.find("push", PushScenario.label(1, producers)), ceiling, 0.40));
    }

    private static void idle(Results r, String label, IdleShape shape) {
        String name = "idle pickup, " + shape.label();
        String goal = "p50 <= 0.5 ms and p99 <= 1 ms (max reported)";
        Optional<Metric> p50 = r.find("idle", "pickup p50, " + label);
        Optional<Metric> p99 = r.find("idle", "pickup p99, " + label);
        Optional<Metric> max = r.find("idle", "pickup max, " + label);
        if (p50.isEmpty() || p99.isEmpty()) {
            r.target(new TargetResult(name, goal, "not run", null));
            return;
        }
        double a = p50.get().value().median();
        double b = p99.get().value().median();
        r.target(new TargetResult(name, goal, String.format("p50 %.3f ms, p99 %.3f ms, max %.3f ms", a, b,
                max.map(m -> m.value().median()).orElse(Double.NaN)), a <= 0.5 && b <= 1.0));
    }

    static TargetResult fraction(String name, String goal, Optional<Metric> metric, double ceiling, double needed) {
        if (metric.isEmpty() || Double.isNaN(ceiling)) {
            return new TargetResult(name, goal, metric.isEmpty() ? "not run" : "no ceiling measured", null);
        }
        double value = metric.get().value().median();
        String note = metric.get().note();
        return new TargetResult(name, goal, String.format("%,.0f jobs/s = %.0f%% of %,.0f%s", value, 100 * value / ceiling, ceiling,
                note.isEmpty() ? "" : " (" + note + ")"), value / ceiling >= needed);
    }
}
