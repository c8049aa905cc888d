package io.jobrunner.bench;

import io.jobrunner.bench.scenario.CeilingScenario;
import io.jobrunner.bench.scenario.EndToEndScenario;

import java.util.Optional;

/**
 * The targets, checked against the medians measured (stated as met or missed; nothing asserts
 * them). A target whose scenario did not run is "n/a".
 */
public final class Targets {

    private Targets() {
    }

    public static void evaluate(Results r, BenchConfig config) {
        double ceiling = CeilingScenario.ceiling(r);
        int maxSlots = config.drainSlots().get(config.drainSlots().size() - 1);

        Optional<Metric> drain = r.find("drain", maxSlots + " slots");
        r.target(fraction("drain, " + maxSlots + " slots", ">= 45% of the ceiling's script calls/s", drain, ceiling, 0.45));

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

        Optional<Metric> idle50 = r.findPrefix("idle", "pickup p50");
        Optional<Metric> idle99 = r.findPrefix("idle", "pickup p99");
        if (idle50.isPresent() && idle99.isPresent()) {
            double p50 = idle50.get().value().median();
            double p99v = idle99.get().value().median();
            r.target(new TargetResult("idle pickup", "p50 < 0.5 ms and p99 < 1 ms",
                    String.format("p50 %.3f ms, p99 %.3f ms", p50, p99v), p50 < 0.5 && p99v < 1.0));
        } else {
            r.target(new TargetResult("idle pickup", "p50 < 0.5 ms and p99 < 1 ms", "not run", null));
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
    }

    private static TargetResult fraction(String name, String goal, Optional<Metric> metric, double ceiling, double needed) {
        if (metric.isEmpty() || Double.isNaN(ceiling)) {
            return new TargetResult(name, goal, metric.isEmpty() ? "not run" : "no ceiling measured", null);
        }
        double value = metric.get().value().median();
        String note = metric.get().note();
        return new TargetResult(name, goal, String.format("%,.0f jobs/s = %.0f%% of %,.0f%s", value, 100 * value / ceiling, ceiling,
                note.isEmpty() ? "" : " (" + note + ")"), value / ceiling >= needed);
    }
}
