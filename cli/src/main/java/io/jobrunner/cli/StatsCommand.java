package io.jobrunner.cli;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.ScheduleInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code stats}: per queue ready, delayed, claimed and abandoned counts, grouped by type with domains
 * beneath ({@link QueueStats}); {@code --watch} refreshes until interrupted (or {@code --count} refreshes).
 */
@Command(name = "stats", sortOptions = false,
        description = {"Show ready, delayed, claimed and abandoned jobs per queue, the age of the oldest ready job (latency),"
                        + " whether the queue is paused, and the schedules' last and next ticks.",
                "Grouped by type with its domains beneath, and a total (the showJobs.php --group view)."})
public final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--type", paramLabel = "T", description = "Only this job type (repeatable).")
    List<String> types = new ArrayList<>();

    @Option(names = "--domain", paramLabel = "D", description = "Only this domain (repeatable).")
    List<String> domains = new ArrayList<>();

    @Option(names = "--partitions", description = "A row per partition of a partitioned queue (domain#p) instead of one per queue.")
    boolean partitions;

    @Option(names = "--json", description = "Print JSON for scripts: {types:[{type, ready, delayed, claimed, abandoned, domains:[...]}], total, schedules:[...]}.")
    boolean json;

    @Option(names = "--watch", paramLabel = "INTERVAL", arity = "0..1", fallbackValue = "2s", converter = DurationConverter.class,
            description = "Refresh every INTERVAL (default 2s) until Ctrl-C.")
    Duration watch;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N refreshes.")
    Integer count;

    private final CliEnvironment env;

    StatsCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.forTool(env);
        if (watch != null && watch.toMillis() < 100) {
            throw new ParameterException(spec.commandLine(), "--watch interval must be at least 100ms, was " + watch.toMillis() + "ms");
        }
        if (count != null && (watch == null || count < 1)) {
            throw new ParameterException(spec.commandLine(), "--count needs --watch and must be at least 1");
        }
        try (JobRunnerClient client = common.connect(env)) {
            int shown = 0;
            while (true) {
                show(client, watch != null);
                shown++;
                if (watch == null || (count != null && shown >= count)) {
                    return ExitCodes.OK;
                }
                Thread.sleep(watch.toMillis());
            }
        }
    }

    private void show(JobRunnerClient client, boolean watching) {
        List<QueueName> queues = client.inspector().queues().stream()
                .filter(q -> types.isEmpty() || types.contains(q.type()))
                .filter(q -> domains.isEmpty() || domains.contains(q.domain()))
                .toList();
        QueueStats stats = QueueStats.of(client.overview().of(queues), partitions);
        List<ScheduleInfo> schedules = client.schedules().list().stream()
                .filter(i -> types.isEmpty() || types.contains(i.schedule().type()))
                .filter(i -> domains.isEmpty() || domains.contains(i.schedule().domain()))
                .toList();
        if (json) {
            env.out().println(stats.toJson().set("schedules", ScheduleTable.json(schedules)).toString());
        } else {
            if (watching) {
                env.out().print(env.terminal() ? "\u001b[H\u001b[2J" : "\n");
                env.out().println("jobrunner stats at " + Instant.now() + " (every " + watch.toMillis() + "ms; Ctrl-C to stop)");
            }
            stats.printTable(env.out());
            if (!schedules.isEmpty()) {
                env.out().println();
                ScheduleTable.print(schedules, env.out());
            }
        }
        env.out().flush();
    }
}
