package io.jobrunner.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The sizes of one bench run, resolved from the flags ({@code --quick} changes the defaults only).
 *
 * @param scenarios       the scenarios to run
 * @param repeats         measured repeats of each pass (after one warm-up pass)
 * @param ceilingTime     length of one ceiling pass (per connection count and pipeline depth)
 * @param ceilingCalls    most calls of one ceiling pass (the list is pre-filled with this many ids)
 * @param pushJobs        jobs pushed per push pass
 * @param producers       producer threads of the push scenario
 * @param drainJobs       jobs waiting before a drain pass
 * @param drainSlots      slot counts of the drain scenario
 * @param e2eTime         length of each end-to-end phase
 * @param e2eSlots        runner slots in the end-to-end scenario
 * @param e2eProducers    producer threads in the end-to-end scenario
 * @param e2eBatches      jobs per push call of the end-to-end producers, one pass each (1 = single pushes)
 * @param idleJobs        jobs of the idle pickup scenario (per shape)
 * @param idleShapes      the idle pickup scenario's shapes: slots and pause between two pickups
 * @param memoryJobs      jobs pushed to measure memory
 * @param paramsBytes     size of a job's serialized params
 * @param queues          queues of the many-queues scenario
 * @param jobsPerQueue    jobs per queue in the many-queues scenario
 * @param scaleJobs       waiting jobs of the scale scenario's big drain (compared with {@link #scaleBaseJobs()})
 * @param scaleDelayed    delayed jobs of the scale scenario, all falling due at once
 * @param scaleAbandoned  abandoned jobs of the scale scenario, pruned by the chron
 * @param maxPassTime     bound on any one pass (a pass that runs over stops and is reported as cut short)
 * @param out             directory for the JSON, table and plots
 * @param copyPlotsTo     also copy the plots here (e.g. docs), or null
 * @param runner          which runner to measure: {@code runner}, {@code runner-inline} or {@code client-loop}
 * @param compareRunners  other runners the drain scenario also measures, for comparison
 */
public record BenchConfig(Set<String> scenarios, int repeats, Duration ceilingTime, int ceilingCalls,
                          int pushJobs, int producers, int drainJobs, List<Integer> drainSlots,
                          Duration e2eTime, int e2eSlots, int e2eProducers, List<Integer> e2eBatches,
                          int idleJobs, List<IdleShape> idleShapes,
                          int memoryJobs, int paramsBytes, int queues, int jobsPerQueue,
                          int scaleJobs, int scaleDelayed, int scaleAbandoned,
                          Duration maxPassTime, Path out, Path copyPlotsTo, String runner,
                          List<String> compareRunners) {

    public static final List<String> ALL_SCENARIOS =
            List.of("ceiling", "push", "drain", "commands", "e2e", "idle", "memory", "many-queues", "scale");

    /** The slot count of the drain target, the commands and the many-queues scenarios: 64 when swept. */
    public static final int MAIN_SLOTS = 64;

    /** The slot count the drain target, the commands and the many-queues scenarios use: 64 if swept, else the largest swept. */
    public int mainSlots() {
        return drainSlots.contains(MAIN_SLOTS) ? MAIN_SLOTS : drainSlots.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** The smaller drain of the scale scenario, compared with {@code scaleJobs}: 100 000, or a tenth of scaleJobs when that is less. */
    public int scaleBaseJobs() {
        return Math.max(1, Math.min(100_000, scaleJobs / 10));
    }

    /** The config as plain values, for the JSON file. */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("scenarios", List.copyOf(scenarios));
        m.put("runner", runner);
        m.put("compareRunners", compareRunners);
        m.put("repeats", repeats);
        m.put("ceilingSeconds", ceilingTime.toMillis() / 1000.0);
        m.put("ceilingCalls", ceilingCalls);
        m.put("pushJobs", pushJobs);
        m.put("producers", producers);
        m.put("drainJobs", drainJobs);
        m.put("drainSlots", drainSlots);
        m.put("e2eSeconds", e2eTime.toMillis() / 1000.0);
        m.put("e2eSlots", e2eSlots);
        m.put("e2eProducers", e2eProducers);
        m.put("e2eBatches", e2eBatches);
        m.put("idleJobs", idleJobs);
        m.put("idleShapes", idleShapes.stream().map(IdleShape::toString).toList());
        m.put("memoryJobs", memoryJobs);
        m.put("paramsBytes", paramsBytes);
        m.put("queues", queues);
        m.put("jobsPerQueue", jobsPerQueue);
        m.put("scaleJobs", scaleJobs);
        m.put("scaleBaseJobs", scaleBaseJobs());
        m.put("scaleDelayed", scaleDelayed);
        m.put("scaleAbandoned", scaleAbandoned);
        m.put("maxPassSeconds", maxPassTime.toSeconds());
        return m;
    }

    public boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }
}
