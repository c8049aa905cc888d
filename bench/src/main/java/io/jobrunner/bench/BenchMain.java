package io.jobrunner.bench;

import io.jobrunner.bench.runner.Runners;
import io.jobrunner.bench.scenario.CeilingScenario;
import io.jobrunner.bench.scenario.CommandsScenario;
import io.jobrunner.bench.scenario.DrainScenario;
import io.jobrunner.bench.scenario.EndToEndScenario;
import io.jobrunner.bench.scenario.IdlePickupScenario;
import io.jobrunner.bench.scenario.ManyQueuesScenario;
import io.jobrunner.bench.scenario.MemoryScenario;
import io.jobrunner.bench.scenario.PushScenario;
import io.jobrunner.bench.scenario.ScaleScenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code jobrunner bench}: starts a Redis of its own on a free loopback port (or uses {@code --redis}), runs
 * the selected scenarios (each after a warm-up, repeated), prints one table, and writes the table, a JSON
 * file and PNG plots under {@code bench-results/}. Exit code 0 when every scenario ran (targets missed
 * do not fail it), 1 when one failed, 2 on bad flags.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmarks the queue and the runner against a real Redis; prints a table, writes JSON and plots.")
public final class BenchMain implements Callable<Integer> {

    static final List<Integer> FULL_SLOTS = List.of(1, 2, 4, 8, 16, 32, 64, 128);
    static final List<Integer> QUICK_SLOTS = List.of(1, 8, 64, 128);
    static final List<String> DEFAULT_IDLE_SHAPES = List.of("1:2", "8:5");

    @Option(names = "--redis", paramLabel = "URI", description = "Use this Redis instead of starting one (only bench keys are written and deleted).")
    String redisUri;

    @Option(names = "--redis-set", paramLabel = "KEY=VALUE",
            description = "CONFIG SET this on the bench's Redis before the scenarios (repeatable), e.g. hash-max-listpack-entries=32.")
    Map<String, String> redisSettings = new LinkedHashMap<>();

    @Option(names = "--quick", description = "Small sizes and one repeat: about two minutes.")
    boolean quick;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
            description = "Scenarios to run (default all): ceiling, push, drain, commands, e2e, idle, memory, many-queues, scale.")
    List<String> scenarios;

    @Option(names = "--runner", description = "Runner to measure: runner (the real one) or client-loop (a baseline on queue-client). Default: ${DEFAULT-VALUE}.")
    String runner = Runners.DEFAULT;

    @Option(names = "--compare-runners", split = ",", paramLabel = "NAME",
            description = "Other runners the drain, e2e and idle scenarios also measure (e.g. runner-inline,client-loop).")
    List<String> compareRunners;

    @Option(names = "--repeats", description = "Measured repeats per pass, after one warm-up (default 3, quick 1).")
    Integer repeats;

    @Option(names = "--ceiling-seconds", description = "Length of one ceiling pass (default 1, quick 0.2).")
    Double ceilingSeconds;

    @Option(names = "--ceiling-calls", description = "Most calls in one ceiling pass (default 600000, quick 100000).")
    Integer ceilingCalls;

    @Option(names = "--push-jobs", description = "Jobs per push pass (default 100000, quick 10000).")
    Integer pushJobs;

    @Option(names = "--producers", description = "Producer threads in the push scenario (default 8).")
    Integer producers;

    @Option(names = "--drain-jobs", description = "Jobs waiting before each drain pass (default 100000, quick 10000).")
    Integer drainJobs;

    @Option(names = "--drain-slots", split = ",",
            description = "Slot counts of the drain scenario (default 1,2,4,8,16,32,64,128, quick 1,8,64,128).")
    List<Integer> drainSlots;

    @Option(names = "--e2e-seconds", description = "Length of each end-to-end phase (default 10, quick 2).")
    Double e2eSeconds;

    @Option(names = "--e2e-slots", description = "Runner slots in the end-to-end scenario (default 64).")
    Integer e2eSlots;

    @Option(names = "--e2e-producers", description = "Producer threads in the end-to-end scenario (default 8).")
    Integer e2eProducers;

    @Option(names = "--e2e-batches", split = ",",
            description = "Jobs per push call of the end-to-end producers, one pass each (default 1,10: single pushes, then batches of 10).")
    List<Integer> e2eBatches;

    @Option(names = "--idle-jobs", description = "Jobs of the idle pickup scenario (default 2000, quick 300).")
    Integer idleJobs;

    @Option(names = "--idle-shapes", split = ",", paramLabel = "SLOTS:PAUSE_MS",
            description = "Shapes of the idle pickup scenario, one pass each: runner slots and the pause between pickups (default 1:2,8:5).")
    List<String> idleShapes;

    @Option(names = "--idle-pause-ms", description = "One idle shape with this pause (with --idle-slots, default 8 slots); instead of --idle-shapes.")
    Integer idlePauseMs;

    @Option(names = "--idle-slots", description = "One idle shape with this many slots (with --idle-pause-ms, default 5, quick 2); instead of --idle-shapes.")
    Integer idleSlots;

    @Option(names = "--memory-jobs", description = "Jobs pushed to measure memory (default 100000, quick 10000).")
    Integer memoryJobs;

    @Option(names = "--params-bytes", description = "Serialized params size of every job (default 100).")
    Integer paramsBytes;

    @Option(names = "--queues", description = "Queues of the many-queues scenario (default 10000, quick 1000).")
    Integer queues;

    @Option(names = "--jobs-per-queue", description = "Jobs per queue in the many-queues scenario (default 10).")
    Integer jobsPerQueue;

    @Option(names = "--scale-jobs", description = "Waiting jobs of the scale scenario's big drain (default 1000000, quick 100000);"
            + " compared with a drain of 100000 (or a tenth, when less).")
    Integer scaleJobs;

    @Option(names = "--scale-delayed", description = "Delayed jobs of the scale scenario, all falling due at once (default 100000, quick 10000).")
    Integer scaleDelayed;

    @Option(names = "--scale-abandoned", description = "Abandoned jobs of the scale scenario, pruned by the chron (default 100000, quick 10000).")
    Integer scaleAbandoned;

    @Option(names = "--max-pass-seconds", description = "Bound on any one pass (default 300).")
    Integer maxPassSeconds;

    @Option(names = "--cluster", paramLabel = "MASTERS",
            description = "Instead of the scenarios: one partitioned queue and many queues pushed and drained on a local Redis Cluster of MASTERS"
                    + " masters and on one Redis, with each master's share of commands and Redis CPU per job (sizes: --drain-jobs, --queues, --jobs-per-queue).")
    Integer clusterMasters;

    @Option(names = "--out", description = "Directory for results (default bench-results).")
    Path out = Path.of("bench-results");

    @Option(names = "--copy-plots-to", paramLabel = "DIR", description = "Also copy the PNG plots here (e.g. docs).")
    Path copyPlotsTo;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (for {@code jobrunner bench}, which delegates here). */
    public static int run(String... args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        System.setProperty("java.awt.headless", "true");
        return new CommandLine(new BenchMain()).execute(args);
    }

    BenchConfig config() {
        Set<String> selected = new LinkedHashSet<>(scenarios == null ? BenchConfig.ALL_SCENARIOS : scenarios);
        for (String s : selected) {
            if (!BenchConfig.ALL_SCENARIOS.contains(s)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--scenarios: unknown scenario '" + s + "'; allowed: " + String.join(", ", BenchConfig.ALL_SCENARIOS));
            }
        }
        if (!Runners.NAMES.contains(runner)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--runner: unknown runner '" + runner + "'; allowed: " + String.join(", ", Runners.NAMES));
        }
        List<String> compare = compareRunners == null ? List.of() : List.copyOf(compareRunners);
        for (String r : compare) {
            if (!Runners.NAMES.contains(r)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--compare-runners: unknown runner '" + r + "'; allowed: " + String.join(", ", Runners.NAMES));
            }
        }
        List<Integer> slots = drainSlots != null ? List.copyOf(drainSlots) : quick ? QUICK_SLOTS : FULL_SLOTS;
        if (slots.isEmpty() || slots.stream().anyMatch(s -> s < 1 || s > 1024)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--drain-slots: each must be 1..1024");
        }
        if (slots.stream().distinct().count() != slots.size()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--drain-slots: each slot count once, was " + slots);
        }
        List<Integer> batches = e2eBatches == null ? List.of(1, 10) : List.copyOf(e2eBatches);
        if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1 || b > EndToEndScenario.BACKLOG)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--e2e-batches: each must be 1.." + EndToEndScenario.BACKLOG);
        }
        BenchConfig c = new BenchConfig(selected, positive("--repeats", pick(repeats, 1, 3)),
                Duration.ofMillis((long) (1000 * pick(ceilingSeconds, 0.2, 1.0))), positive("--ceiling-calls", pick(ceilingCalls, 100_000, 600_000)),
                positive("--push-jobs", pick(pushJobs, 10_000, 100_000)), positive("--producers", pick(producers, 8, 8)),
                positive("--drain-jobs", pick(drainJobs, 10_000, 100_000)), slots,
                Duration.ofMillis((long) (1000 * pick(e2eSeconds, 2.0, 10.0))), positive("--e2e-slots", pick(e2eSlots, 64, 64)),
                positive("--e2e-producers", pick(e2eProducers, 8, 8)), batches,
                positive("--idle-jobs", pick(idleJobs, 300, 2000)), idleShapes(),
                positive("--memory-jobs", pick(memoryJobs, 10_000, 100_000)), positive("--params-bytes", pick(paramsBytes, 100, 100)),
                positive("--queues", pick(queues, 1000, 10_000)), positive("--jobs-per-queue", pick(jobsPerQueue, 10, 10)),
                positive("--scale-jobs", pick(scaleJobs, 100_000, 1_000_000)), positive("--scale-delayed", pick(scaleDelayed, 10_000, 100_000)),
                positive("--scale-abandoned", pick(scaleAbandoned, 10_000, 100_000)),
                Duration.ofSeconds(positive("--max-pass-seconds", pick(maxPassSeconds, 120, 300))), out, copyPlotsTo, runner, compare);
        return c;
    }

    /**
     * {@code --idle-shapes}, or the one shape {@code --idle-slots} and {@code --idle-pause-ms} give (the flags before
     * shapes existed), else the default shapes.
     */
    private List<IdleShape> idleShapes() {
        boolean legacy = idleSlots != null || idlePauseMs != null;
        if (idleShapes != null && legacy) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--idle-shapes replaces --idle-slots and --idle-pause-ms: give one or the other");
        }
        if (legacy) {
            return List.of(idleShape("--idle-slots/--idle-pause-ms",
                    positive("--idle-slots", pick(idleSlots, 8, 8)) + ":" + positive("--idle-pause-ms", pick(idlePauseMs, 2, 5))));
        }
        List<IdleShape> shapes = new ArrayList<>();
        for (String text : idleShapes == null ? DEFAULT_IDLE_SHAPES : idleShapes) {
            shapes.add(idleShape("--idle-shapes", text));
        }
        if (shapes.isEmpty() || shapes.stream().distinct().count() != shapes.size()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--idle-shapes: at least one, each once, was " + idleShapes);
        }
        return List.copyOf(shapes);
    }

    private IdleShape idleShape(String flag, String text) {
        try {
            return IdleShape.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), flag + ": " + e.getMessage());
        }
    }

    private <T> T pick(T given, T quickValue, T fullValue) {
        return given != null ? given : quick ? quickValue : fullValue;
    }

    private int positive(String flag, int value) {
        if (value < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), flag + ": must be at least 1, was " + value);
        }
        return value;
    }

    @Override
    public Integer call() throws Exception {
        BenchConfig config = config();
        if (clusterMasters != null) {
            if (clusterMasters < 3 || clusterMasters > 16) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--cluster: 3 to 16 masters, was " + clusterMasters);
            }
            return new ClusterBench(clusterMasters, config.drainJobs(), config.queues(), config.jobsPerQueue(), config.out(), System.err).run();
        }
        PrintStream log = System.err;
        List<Scenario> all = List.of(new CeilingScenario(), new PushScenario(), new DrainScenario(), new CommandsScenario(),
                new EndToEndScenario(), new IdlePickupScenario(), new MemoryScenario(), new ManyQueuesScenario(), new ScaleScenario());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Results results = new Results();
        Map<String, Object> header = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        long start = System.nanoTime();
        try (BenchRedis redis = redisUri == null ? BenchRedis.startOwn() : BenchRedis.external(redisUri)) {
            log.printf("bench: Redis %s (%s), runner %s, scenarios %s%s%n", io.jobrunner.client.JobRunnerClient.maskPassword(redis.uri()), redis.kind(),
                    config.runner(), config.scenarios(), quick ? " (quick)" : "");
            for (Map.Entry<String, String> setting : redisSettings.entrySet()) {
                try {
                    redis.admin().configSet(setting.getKey(), setting.getValue());
                } catch (RuntimeException e) {
                    log.printf("bench: --redis-set %s=%s: Redis refused it: %s%n", setting.getKey(), setting.getValue(), e.getMessage());
                    return 2;
                }
                log.printf("bench: Redis %s = %s%n", setting.getKey(), setting.getValue());
            }
            header.put("startedAt", stamp);
            header.put("machine", MachineInfo.describe(redis));
            header.put("redisSettings", redisSettings);
            header.put("config", config.describe());
            BenchContext ctx = new BenchContext(config, redis, results, Runners.named(config.runner()), log);
            for (Scenario scenario : all) {
                if (!config.runs(scenario.name())) {
                    continue;
                }
                log.printf("== %s%n", scenario.name());
                try {
                    scenario.run(ctx);
                } catch (Exception | AssertionError e) {
                    failed.add(scenario.name());
                    log.printf("scenario %s failed: %s%n", scenario.name(), e);
                    e.printStackTrace(log);
                }
            }
        }
        header.put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        header.put("failedScenarios", failed);
        header.put("loadAverageAtEnd", Math.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
        Targets.evaluate(results, config);
        String table = ReportWriter.table(results);
        System.out.println();
        System.out.println(table);
        Path json = ReportWriter.write(config.out(), stamp, header, results);
        List<Path> plots = Plots.write(config.out(), results);
        if (config.copyPlotsTo() != null) {
            Files.createDirectories(config.copyPlotsTo());
            for (Path plot : plots) {
                Files.copy(plot, config.copyPlotsTo().resolve(plot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        log.printf("bench: %.0f s; results in %s, plots %s%n", (System.nanoTime() - start) / 1e9, json, plots);
        return failed.isEmpty() ? 0 : 1;
    }
}
