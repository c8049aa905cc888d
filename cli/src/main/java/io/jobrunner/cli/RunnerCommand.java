package io.jobrunner.cli;

import com.typesafe.config.Config;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.RunnerDaemon;
import io.jobrunner.service.DaemonLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code runner}: the runner daemon ({@link Runner}) until SIGTERM/SIGINT, through the same
 * {@link DaemonLifecycle} as {@code RunnerMain}: every section it reads and every executor block is validated
 * before connecting (exit 2 with the HOCON path); it connects, waiting for Redis while it is not reachable; on the
 * signal it stops gracefully: no more claims, running jobs get {@code shutdown-grace} to finish, the rest are
 * cancelled and given back without counting the attempt. In MediaWiki mode it runs the MediaWiki runner instead.
 */
@Command(name = "runner", sortOptions = false,
        description = {"Run the runner daemon until SIGTERM or Ctrl-C.",
                "Runs the configured groups of slots: each slot claims a job of a type its group serves, runs it with "
                        + "the executor configured for the type, and acks or releases it."})
public final class RunnerCommand implements Callable<Integer> {

    static final String EXECUTORS = "jobrunner.executors";

    @Mixin
    CommonOptions common;

    private final CliEnvironment env;

    RunnerCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.forDaemon(env);
        Config config = common.loadConfig(env);
        if (MediawikiDaemons.isMediawiki(config)) {
            MediawikiDaemons.logWarnings(config, ConfigSections.Daemon.RUNNER);
            return MediawikiDaemons.runner(env, config);
        }
        return DaemonLifecycle.run(new RunnerDaemon(env.getenv("PATH")), config, Daemons.stop(env), Daemons.say(env));
    }
}
