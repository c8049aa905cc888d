package io.jobrunner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobrunner.client.CronExpression;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.MissedTicks;
import io.jobrunner.client.Schedule;
import io.jobrunner.client.ScheduleInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code schedule add|list|remove|pause|resume}: the recurring schedules in Redis ({@code Schedules}), the same
 * set every chron fires. Schedules from {@code jobrunner.schedules} in a chron's config show here too (source
 * {@code config}); a chron re-writes those at start, so change them in the config.
 */
@Command(name = "schedule",
        description = {"Add, list, remove, pause or resume recurring schedules.",
                "The chron leader pushes one job per tick of each schedule's cron expression."},
        subcommands = {ScheduleCommand.Add.class, ScheduleCommand.ListSchedules.class, ScheduleCommand.Remove.class,
                ScheduleCommand.Pause.class, ScheduleCommand.Resume.class})
public final class ScheduleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing action: add, list, remove, pause or resume");
    }

    @Command(name = "add", sortOptions = false,
            description = "Add a schedule, or replace the one of that name (its ticks fire from now on).")
    static final class Add implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name: 1 to 128 of A-Z a-z 0-9 _ . -")
        String name;

        @Option(names = "--cron", required = true, paramLabel = "EXPR",
                description = "When: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; e.g. '0 3 * * *'.")
        String cron;

        @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", description = "Time zone of the expression (default UTC), e.g. Europe/Berlin.")
        String zone;

        @Option(names = "--type", required = true, paramLabel = "T", description = "The job type pushed at each tick.")
        String type;

        @Option(names = "--domain", paramLabel = "D", defaultValue = Job.DEFAULT_DOMAIN, description = "The job domain (default: default).")
        String domain;

        @Option(names = "--params", paramLabel = "JSON", description = "The job params, a JSON object.")
        String params;

        @Option(names = "--missed", paramLabel = "POLICY", defaultValue = "skip",
                description = "Ticks missed while no chron ran: skip (default), once (one job), all (each, up to the chron's max-catch-up).")
        String missed;

        private final CliEnvironment env;

        Add(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            Logging.forTool(env);
            Schedule schedule = new Schedule(name, CronExpression.parse(cron), Schedule.zone(zone), type, domain,
                    JobCodec.mapper().createObjectNode(), MissedTicks.parse(missed));
            if (params != null) {
                try {
                    schedule = schedule.withParams(JobCodec.mapper().readTree(params));
                } catch (JsonProcessingException e) {
                    throw new ParameterException(spec.commandLine(), "--params is not valid JSON (" + e.getOriginalMessage()
                            + "); allowed: a JSON object such as '{\"full\":true}'");
                }
            }
            try (JobRunnerClient client = common.connect(env)) {
                client.schedules().add(schedule);
                ScheduleInfo info = client.schedules().get(name).orElseThrow();
                env.out().println("schedule " + name + ": '" + schedule.cron() + "' in " + schedule.zone() + " pushes " + schedule.queue()
                        + "; next tick " + time(info.nextTick()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", sortOptions = false, description = "List the schedules with their last and next ticks.")
    static final class ListSchedules implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Option(names = "--json", description = "Print a JSON array: {name, cron, zone, queue, missed, source, paused, lastTick, nextTick}.")
        boolean json;

        private final CliEnvironment env;

        ListSchedules(CliEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            Logging.forTool(env);
            try (JobRunnerClient client = common.connect(env)) {
                List<ScheduleInfo> all = client.schedules().list();
                if (json) {
                    env.out().println(ScheduleTable.json(all));
                } else {
                    ScheduleTable.print(all, env.out());
                }
            }
            return ExitCodes.OK;
        }
    }

    /** The options and the lookup remove, pause and resume share. */
    abstract static class Named implements Callable<Integer> {

        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
        String name;

        final CliEnvironment env;

        Named(CliEnvironment env) {
            this.env = env;
        }

        abstract boolean act(JobRunnerClient client);

        abstract String done();

        @Override
        public Integer call() {
            Logging.forTool(env);
            try (JobRunnerClient client = common.connect(env)) {
                if (!act(client)) {
                    env.err().println("error: no schedule named '" + name + "' (see: jobrunner schedule list)");
                    return ExitCodes.FAILURE;
                }
            }
            env.out().println("schedule " + name + ": " + done());
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Delete a schedule (a chron re-writes a configured one at its next start).")
    static final class Remove extends Named {
        Remove(CliEnvironment env) {
            super(env);
        }

        @Override
        boolean act(JobRunnerClient client) {
            return client.schedules().remove(name);
        }

        @Override
        String done() {
            return "removed";
        }
    }

    @Command(name = "pause", description = "Pause a schedule: its ticks are skipped until resumed (no backlog fires).")
    static final class Pause extends Named {
        Pause(CliEnvironment env) {
            super(env);
        }

        @Override
        boolean act(JobRunnerClient client) {
            return client.schedules().pause(name);
        }

        @Override
        String done() {
            return "paused";
        }
    }

    @Command(name = "resume", description = "Resume a paused schedule from its next tick.")
    static final class Resume extends Named {
        Resume(CliEnvironment env) {
            super(env);
        }

        @Override
        boolean act(JobRunnerClient client) {
            return client.schedules().resume(name);
        }

        @Override
        String done() {
            return "resumed";
        }
    }

    static String time(Instant t) {
        return t == null ? "-" : t.toString();
    }
}
