package io.jobrunner.bench;

import io.jobrunner.bench.scenario.DrainScenario;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The slot sweep's targets, against the drain scenario's figures (medians) of the same run:
 * <ol>
 *   <li>Redis CPU per job at every slot count within {@value #CPU_SPREAD}x of the lowest of them;</li>
 *   <li>drain throughput never falls as slots rise from 1 to {@value #RISING_UP_TO}: each slot count's rate is at
 *       least the best rate at fewer slots less a noise margin of {@value #NOISE_PERCENT}%.</li>
 * </ol>
 */
public final class SweepTargets {

    static final double CPU_SPREAD = 1.3;
    static final int RISING_UP_TO = 64;
    static final int NOISE_PERCENT = 5;

    private SweepTargets() {
    }

    public static void evaluate(Results r, BenchConfig config) {
        Map<Integer, Double> micros = new TreeMap<>();
        Map<Integer, Double> rates = new TreeMap<>();
        for (int slots : config.drainSlots()) {
            r.find("drain", DrainScenario.redisCpuLabel(slots)).ifPresent(m -> micros.put(slots, m.value().median()));
            r.find("drain", slots + " slots").ifPresent(m -> rates.put(slots, m.value().median()));
        }
        r.target(cpuSpread(micros));
        r.target(neverFalls(rates));
    }

    /** Redis CPU per job (µs) by slot count: the highest within {@value #CPU_SPREAD}x of the lowest. */
    static TargetResult cpuSpread(Map<Integer, Double> microsBySlots) {
        String name = "drain, Redis CPU per job across slot counts";
        String goal = "every slot count within " + CPU_SPREAD + "x of the lowest";
        if (microsBySlots.size() < 2) {
            return new TargetResult(name, goal, microsBySlots.isEmpty() ? "not run" : "one slot count only", null);
        }
        Map.Entry<Integer, Double> low = null;
        Map.Entry<Integer, Double> high = null;
        for (Map.Entry<Integer, Double> e : microsBySlots.entrySet()) {
            low = low == null || e.getValue() < low.getValue() ? e : low;
            high = high == null || e.getValue() > high.getValue() ? e : high;
        }
        double ratio = high.getValue() / low.getValue();
        return new TargetResult(name, goal, String.format("%.2fx: highest %.1f µs/job at %d slots, lowest %.1f µs/job at %d slots (%s)",
                ratio, high.getValue(), high.getKey(), low.getValue(), low.getKey(), series(microsBySlots, "%.1f")), ratio <= CPU_SPREAD);
    }

    /**
     * Drain jobs/s by slot count: from 1 to {@value #RISING_UP_TO} slots, each rate at least (100 - {@value #NOISE_PERCENT})%
     * of the best rate at fewer slots; the worst such drop is reported.
     */
    static TargetResult neverFalls(Map<Integer, Double> ratesBySlots) {
        String name = "drain, throughput as slots rise";
        String goal = "never falls from 1 to " + RISING_UP_TO + " slots (noise margin " + NOISE_PERCENT + "%)";
        TreeMap<Integer, Double> rising = new TreeMap<>(new TreeMap<>(ratesBySlots).headMap(RISING_UP_TO, true));
        if (rising.size() < 2) {
            return new TargetResult(name, goal, rising.isEmpty() ? "not run" : "one slot count only", null);
        }
        double best = 0;
        int bestSlots = 0;
        double worstShare = Double.MAX_VALUE;
        Optional<String> worst = Optional.empty();
        for (Map.Entry<Integer, Double> e : rising.entrySet()) {
            if (best > 0 && e.getValue() / best < worstShare) {
                worstShare = e.getValue() / best;
                worst = Optional.of(String.format("%d slots at %.0f%% of %d slots", e.getKey(), 100 * worstShare, bestSlots));
            }
            if (e.getValue() > best) {
                best = e.getValue();
                bestSlots = e.getKey();
            }
        }
        boolean met = worstShare >= 1 - NOISE_PERCENT / 100.0;
        String detail = worstShare >= 1 ? "rises at every step" : "lowest step: " + worst.orElse("");
        return new TargetResult(name, goal, detail + " (" + series(rising, "%,.0f") + " jobs/s)", met);
    }

    /** {@code 1: 12.3, 8: 10.1} */
    private static String series(Map<Integer, Double> bySlots, String format) {
        StringBuilder sb = new StringBuilder();
        bySlots.forEach((slots, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(slots).append(": ").append(String.format(format, v)));
        return sb.toString();
    }
}
