package io.jobrunner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code jobrunner}: the root command; alone, it prints the list of commands. */
@Command(name = "jobrunner",
        scope = CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "A Redis-backed distributed job runner: daemons, producers' and operators' tools.",
        subcommands = {
                QuickstartCommand.class,
                RunnerCommand.class,
                ChronCommand.class,
                PushCommand.class,
                StatsCommand.class,
                ListCommand.class,
                RunCommand.class,
                AbandonedCommand.class,
                ScheduleCommand.class,
                JobCommand.class,
                PauseCommand.Pause.class,
                PauseCommand.Resume.class,
                RunnersCommand.class,
                DashboardCommand.class,
                CheckConfigCommand.class,
                MediawikiCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  ok",
                "  1  failure: Redis unreachable, jobs rejected or failed",
                "  2  usage or config error: the message names the option or HOCON path",
                "",
                "Environment: JOBRUNNER_CONFIG (config file), JOBRUNNER_REDIS_URI,",
                "  JOBRUNNER_REDIS_PREFIX, JOBRUNNER_RUNNER_ID, JOBRUNNER_LOG_LEVEL,",
                "  JOBRUNNER_DEBUG=1 (stack traces)."})
public final class JobrunnerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final CliEnvironment env;

    JobrunnerCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("error: missing command");
        spec.commandLine().usage(env.err());
        return ExitCodes.USAGE;
    }
}
