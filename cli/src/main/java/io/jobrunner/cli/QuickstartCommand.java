package io.jobrunner.cli;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import io.jobrunner.chron.Chron;
import io.jobrunner.cli.quickstart.DemoConfig;
import io.jobrunner.cli.quickstart.DemoWorkload;
import io.jobrunner.cli.quickstart.LocalRedis;
import io.jobrunner.cli.quickstart.QuickstartScreen;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.RunnerStatus;
import io.jobrunner.service.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code quickstart}: the embedded default, for the first ten minutes.
 * <ol>
 *   <li>starts a local Redis ({@link LocalRedis}: the redis-server on PATH, else the embedded binary), unless
 *       {@code --redis} names one;</li>
 *   <li>starts a {@link Runner} with the demo handlers and a {@link Chron} in this process ({@link DemoConfig},
 *       with {@code --config} layered over it);</li>
 *   <li>pushes the demo workload ({@link DemoWorkload}) and shows it flowing ({@link QuickstartScreen}) until
 *       every job ran, or Ctrl-C;</li>
 *   <li>stops everything it started, in order (runner, chron, client, Redis and its directory), unless
 *       {@code --keep-running}, which keeps serving (endpoints printed) until Ctrl-C.</li>
 * </ol>
 */
@Command(name = "quickstart", sortOptions = false,
        description = {"Start Redis, a runner and a chron in this process, push demo jobs and watch them run.",
                "Uses the redis-server on PATH (on a free loopback port, in a temporary directory), else a Redis "
                        + "embedded in the jar: nothing to install, no network. Stops everything it started when the "
                        + "work is done or on Ctrl-C."})
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "500", description = "Demo jobs to push (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "4", description = "Slots of the demo group (default: ${DEFAULT-VALUE}).")
    int slots;

    @Option(names = "--cluster", description = "Start a local Redis Cluster of three masters instead of one Redis, with every"
            + " demo type spread over one partition per master (jobrunner.redis.partitions \"*\" = auto).")
    boolean cluster;

    @Option(names = "--keep-running", description = "When the demo is done, keep Redis, the runner and the chron serving until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--refresh", paramLabel = "DUR", converter = DurationConverter.class, defaultValue = "250ms",
            description = "How often the view is redrawn (default: ${DEFAULT-VALUE}; a line every 8 refreshes when not a terminal).")
    Duration refresh;

    private final CliEnvironment env;

    QuickstartCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (jobs < 1 || jobs > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--jobs must be 1 to 1000000, was " + jobs);
        }
        if (slots < 1 || slots > 256) {
            throw new ParameterException(spec.commandLine(), "--slots must be 1 to 256, was " + slots);
        }
        Logging.forTool(env);
        Config config = loadConfig();
        PrintWriter out = env.out();
        Daemons.onStopSignals(env, "quickstart");
        List<AutoCloseable> started = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            String uri = common.redis;
            if (uri == null && cluster) {
                LocalRedis.Cluster nodes = LocalRedis.startCluster(env.env(), 3);
                started.add(0, () -> {
                    nodes.close();
                    out.println("stopped the local cluster's " + nodes.nodes().nodes().size() + " nodes and removed their data");
                });
                uri = nodes.nodes().uri();
                out.println("Redis Cluster: 3 masters on " + uri + " (temporary, stopped at the end)");
            } else if (uri == null) {
                LocalRedis redis = LocalRedis.start(env.env(), msg -> env.err().println("quickstart: " + msg));
                started.add(0, () -> stopRedis(redis));
                uri = redis.uri();
                out.println("Redis: " + redis.kind() + (redis.pid() > 0 ? " pid " + redis.pid() : "") + " on " + uri
                        + " (temporary, stopped at the end)");
            }
            config = config.withValue("jobrunner.redis.uri", ConfigValueFactory.fromAnyRef(uri, "quickstart"));
            ClientSettings settings = common.clientSettings(config);
            JobRunnerClient client = JobRunnerClient.connect(settings);
            started.add(0, client);
            MetricRegistry metrics = new MetricRegistry();
            Chron chron = Chron.create(config, client, metrics);
            chron.start();
            started.add(0, () -> {
                chron.stop();
                out.println("stopped the chron");
            });
            Runner runner = Runner.create(config, client, metrics);
            runner.start();
            started.add(0, () -> {
                runner.stop();
                out.println("stopped the runner");
            });
            out.println("runner and chron started in this process: " + slots + " slots serving demo.*, demo.reindex is low priority"
                    + " (80% of slot time goes to the rest while both have work)");

            long pushedAt = System.nanoTime();
            Workload pushed = push(client);
            out.printf("pushed %d demo jobs to %d queues (%d duplicates dropped); watching them run (Ctrl-C stops)%n%n",
                    pushed.total(), pushed.queues().size(), pushed.duplicateTotal());
            out.flush();
            boolean finished = watch(client, runner, metrics, pushed, pushedAt);
            out.println();
            if (!finished) {
                Logging.off(); // stopping on request: errors of a Redis the terminal's Ctrl-C may have stopped too are noise
                out.println("stopped before the demo finished.");
                return ExitCodes.OK;
            }
            out.println(String.format("done: every demo job ran in %.1fs after the push (startup took %.1fs).",
                    (System.nanoTime() - pushedAt) / 1e9, (pushedAt - t0) / 1e9));
            out.println("The demo.flaky jobs failed once each and succeeded on their retry; demo.sendMail jobs waited for their"
                    + " delay; the demo.refreshCache duplicates were dropped at push. The low class (demo.reindex) gets 20% of"
                    + " the slot time while other work is ready, and everything once it is alone.");
            if (finished && keepRunning && !env.stopRequest().isDone()) {
                out.println("still serving (--keep-running); try, in another terminal:");
                String prefix = "JOBRUNNER_REDIS_PREFIX=" + settings.prefix() + " ";
                out.println("  " + prefix + "bin/jobrunner stats --redis " + uri);
                out.println("  " + prefix + "bin/jobrunner push demo.thumbnail --domain shop1 --redis " + uri);
                out.println("  " + prefix + "bin/jobrunner list demo.reindex --domain shop2 --redis " + uri);
                out.println("  " + prefix + "bin/jobrunner dashboard --redis " + uri + "   (then open the address it prints)");
                out.println("  runner status:  http://127.0.0.1:" + runner.httpPort() + "/status   (/metrics, /livez, /readyz)");
                out.println("  chron status:   http://127.0.0.1:" + chron.httpPort() + "/status");
                out.println("Ctrl-C stops everything.");
                out.flush();
                Daemons.awaitStop(env);
                Logging.off();
            }
            return ExitCodes.OK;
        } finally {
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception e) {
                    env.err().println("quickstart: while stopping: " + e.getMessage());
                }
            }
            out.flush();
        }
    }

    private Config loadConfig() {
        Config demo = DemoConfig.of(slots);
        if (cluster) {
            demo = ConfigFactory.parseString("jobrunner.redis.partitions { \"*\" = auto }").withFallback(demo);
        }
        Path file = common.configFile(env);
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new com.typesafe.config.ConfigException.IO(ConfigFactory.empty().origin(), "config file " + file + " does not exist or is not a file");
            }
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        Map<String, String> environment = new HashMap<>(env.env());
        environment.remove("JOBRUNNER_REDIS_URI"); // the quickstart's Redis is its own (or --redis)
        return ConfigLoader.fromUserConfig(user.withFallback(demo), environment);
    }

    private void stopRedis(LocalRedis redis) {
        redis.close();
        env.out().println("stopped " + redis.kind() + (redis.pid() > 0 ? " pid " + redis.pid() : "") + " on port " + redis.port()
                + " and removed its data");
    }

    /** What was pushed, per type. */
    record Workload(Map<String, Integer> pushed, Map<String, Integer> duplicates, Set<QueueName> queues) {
        int total() {
            return pushed.values().stream().mapToInt(Integer::intValue).sum();
        }

        int duplicateTotal() {
            return duplicates.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private Workload push(JobRunnerClient client) {
        List<Job> all = DemoWorkload.jobs(jobs, client.clock());
        Map<String, String> typeOf = new HashMap<>();
        Set<QueueName> queues = new HashSet<>();
        for (Job j : all) {
            typeOf.put(j.id(), j.type());
            queues.add(j.queue());
        }
        PushResult result = client.producer().push(all);
        // with partitions (--cluster) the jobs of a queue are in several: watch every queue registered for their types
        Set<String> types = new HashSet<>(typeOf.values());
        client.inspector().queues().stream().filter(q -> types.contains(q.type())).forEach(queues::add);
        Map<String, Integer> pushed = new HashMap<>();
        Map<String, Integer> duplicates = new HashMap<>();
        result.pushed().forEach(id -> pushed.merge(typeOf.get(id), 1, Integer::sum));
        result.duplicates().forEach(id -> duplicates.merge(typeOf.get(id), 1, Integer::sum));
        return new Workload(pushed, duplicates, queues);
    }

    /** Redraws until every job ran or a stop is requested; true when finished. */
    private boolean watch(JobRunnerClient client, Runner runner, MetricRegistry metrics, Workload pushed, long since)
            throws InterruptedException {
        QuickstartScreen screen = new QuickstartScreen(env.out(), env.terminal());
        List<QueueName> queues = new ArrayList<>(pushed.queues());
        int tick = 0;
        while (true) {
            QuickstartScreen.Snapshot s = snapshot(client, runner, metrics, pushed, queues, since);
            if (s.finished()) {
                screen.showFinal(s);
                return true;
            }
            if (env.stopRequest().isDone()) {
                screen.showFinal(s);
                return false;
            }
            if (env.terminal() || tick % 8 == 0) {
                screen.show(s);
            }
            tick++;
            try {
                env.stopRequest().get(refresh.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ignored) {
                // next refresh
            }
        }
    }

    private QuickstartScreen.Snapshot snapshot(JobRunnerClient client, Runner runner, MetricRegistry metrics, Workload pushed,
                                               List<QueueName> queues, long since) {
        RunnerStatus status = runner.status();
        RunnerStatus.GroupStatus group = status.groups().isEmpty() ? null : status.groups().get(0);
        return new QuickstartScreen.Snapshot(QuickstartScreen.byType(client.inspector().counts(queues)), pushed.pushed(),
                pushed.duplicates(), metrics, group == null ? null : group.highShare(), group == null ? 0.8 : group.highShareTarget(),
                group == null ? 0 : group.utilisation(), slots, (System.nanoTime() - since) / 1e9);
    }
}
