package io.jobrunner.cli;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.RunBounds;
import io.jobrunner.runner.RunSummary;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.RunnerStatus;
import io.jobrunner.service.metrics.MetricName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code run}: claims and runs jobs in this process with the configured executors and limits (the
 * {@code runJobs.php} view), in one group of {@code --slots} slots serving {@code --type} (default: every
 * type), until {@code --maxjobs}, {@code --maxtime} or the served queues are empty ({@code --wait} keeps
 * waiting), then prints a summary. Exit 0, or 1 when a job was abandoned during the run.
 */
@Command(name = "run", sortOptions = false,
        description = {"Run jobs in this process, then exit.",
                "Claims and runs jobs with the configured executors until --maxjobs, --maxtime or the queues are empty "
                        + "(--wait keeps waiting), then prints a summary. Exit 1 when a job was abandoned during the run."})
public final class RunCommand implements Callable<Integer> {

    static final String GROUP = "run";

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--type", paramLabel = "T", description = "Only jobs of this type (repeatable; names or globs; default: all).")
    List<String> types = new ArrayList<>();

    @Option(names = "--maxjobs", paramLabel = "N", description = "Stop after claiming N jobs.")
    long maxJobs;

    @Option(names = "--maxtime", paramLabel = "DUR", converter = DurationConverter.class, description = "Stop after this long, e.g. 60s.")
    Duration maxTime;

    @Option(names = "--wait", description = "Keep waiting for jobs when the queues are empty (until --maxjobs, --maxtime or Ctrl-C).")
    boolean waitForJobs;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "1", description = "Jobs run at once (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--json", description = "Print the summary as JSON (like runJobs.php --result=json).")
    boolean json;

    private final CliEnvironment env;

    RunCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Logging.forTool(env);
        if (maxJobs < 0) {
            throw new ParameterException(spec.commandLine(), "--maxjobs must be at least 1, was " + maxJobs);
        }
        if (slots < 1 || slots > 1024) {
            throw new ParameterException(spec.commandLine(), "--slots must be 1 to 1024, was " + slots);
        }
        if (maxTime != null && maxTime.isZero()) {
            throw new ParameterException(spec.commandLine(), "--maxtime must be positive");
        }
        Config config = oneGroup(common.loadConfig(env));
        ClientSettings settings = common.clientSettings(config);
        ConfigSections.validate(config, ConfigSections.Daemon.RUNNER, env.getenv("PATH")); // every config error before Redis is touched
        MetricRegistry metrics = new MetricRegistry();
        try (JobRunnerClient client = JobRunnerClient.connect(settings)) {
            Runner runner = Runner.create(config, client, metrics);
            Daemons.onStopSignals(env, "run");
            Result result;
            if (waitForJobs && maxJobs == 0 && maxTime == null) {
                long t0 = System.nanoTime();
                runner.start();
                try {
                    Daemons.awaitStop(env);
                } catch (InterruptedException e) {
                    Thread.interrupted(); // the stop request interrupts this thread too
                } finally {
                    runner.stop();
                }
                RunnerStatus.Totals t = runner.status().totals();
                result = new Result("stopped", t.started(), t.succeeded(), t.retried(), t.abandoned(), t.requeued(),
                        Duration.ofNanos(System.nanoTime() - t0));
            } else {
                RunSummary s = runInterruptibly(runner, new RunBounds(maxJobs, maxTime, !waitForJobs));
                result = new Result(reached(s.reason()), s.started(), s.succeeded(), s.retried(), s.abandoned(), s.requeued(), s.elapsed());
            }
            print(result, perType(metrics));
            return result.abandoned() > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }

    /** Runs bounded; a stop request (Ctrl-C) interrupts the run, which then stops early. */
    private RunSummary runInterruptibly(Runner runner, RunBounds bounds) {
        Thread caller = Thread.currentThread();
        Object lock = new Object();
        boolean[] running = {true};
        env.stopRequest().thenRun(() -> {
            synchronized (lock) {
                if (running[0]) {
                    caller.interrupt();
                }
            }
        });
        try {
            return runner.runBounded(bounds);
        } finally {
            synchronized (lock) {
                running[0] = false;
                Thread.interrupted(); // a stop that came during the run is consumed here, not by what follows
            }
        }
    }

    /** The config with one group serving the wanted types, and neither HTTP endpoint nor JMX. */
    private Config oneGroup(Config config) {
        List<String> served = types.isEmpty() ? List.of("*") : types;
        return config
                .withValue("jobrunner.runner.groups", ConfigValueFactory.fromMap(Map.of(GROUP, Map.of("slots", slots, "types", served)),
                        "run --type/--slots"))
                .withValue("jobrunner.runner.http.enabled", ConfigValueFactory.fromAnyRef(false, "run"))
                .withValue("jobrunner.runner.jmx.enabled", ConfigValueFactory.fromAnyRef(false, "run"));
    }

    /** The outcome of the run, in runJobs.php's terms for {@code reached}. */
    record Result(String reached, long started, long succeeded, long retried, long abandoned, long requeued, Duration elapsed) {
    }

    private static String reached(RunSummary.Reason reason) {
        return switch (reason) {
            case MAX_JOBS -> "job-limit";
            case MAX_TIME -> "time-limit";
            case EMPTY -> "none-ready";
        };
    }

    /** Per type: succeeded, retried, failed and abandoned runs, from the runner's meters. */
    private static Map<String, long[]> perType(MetricRegistry metrics) {
        Map<String, long[]> out = new TreeMap<>();
        String[] kinds = {"succeeded", "retried", "failed", "abandoned"};
        for (Map.Entry<String, Meter> e : metrics.getMeters().entrySet()) {
            MetricName name = MetricName.parse(e.getKey());
            int type = name.labelNames().indexOf("type");
            for (int k = 0; k < kinds.length; k++) {
                if (type >= 0 && name.base().equals("jobrunner_jobs_" + kinds[k])) {
                    out.computeIfAbsent(name.labelValues().get(type), t -> new long[kinds.length])[k] = e.getValue().getCount();
                }
            }
        }
        out.values().removeIf(c -> c[0] + c[1] + c[2] + c[3] == 0);
        return out;
    }

    private void print(Result r, Map<String, long[]> types) {
        PrintWriter out = env.out();
        if (json) {
            ObjectNode root = JobCodec.mapper().createObjectNode();
            root.put("reached", r.reached()).put("elapsed", r.elapsed().toMillis());
            root.putObject("jobs").put("started", r.started()).put("succeeded", r.succeeded()).put("retried", r.retried())
                    .put("abandoned", r.abandoned()).put("requeued", r.requeued());
            ObjectNode byType = root.putObject("types");
            types.forEach((type, c) -> byType.putObject(type).put("succeeded", c[0]).put("retried", c[1]).put("failed", c[2]).put("abandoned", c[3]));
            out.println(root.toString());
            return;
        }
        out.printf("ran %d job%s in %.1fs: %d succeeded, %d retried, %d abandoned, %d given back; stopped: %s%n",
                r.started(), r.started() == 1 ? "" : "s", r.elapsed().toMillis() / 1000.0, r.succeeded(), r.retried(), r.abandoned(),
                r.requeued(), describe(r.reached()));
        types.forEach((type, c) -> out.printf("  %-32s %6d succeeded %6d retried %6d failed %6d abandoned%n", type, c[0], c[1], c[2], c[3]));
    }

    private String describe(String reached) {
        return switch (reached) {
            case "job-limit" -> "--maxjobs " + maxJobs + " reached";
            case "time-limit" -> "--maxtime " + maxTime + " reached";
            case "none-ready" -> "no ready jobs left";
            default -> "stop requested";
        };
    }
}
