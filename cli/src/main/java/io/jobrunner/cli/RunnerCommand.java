package io.jobrunner.cli;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.service.RedisWait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code runner}: the runner daemon ({@link Runner}) until SIGTERM/SIGINT. Validates every section it reads
 * and builds the configured executors before connecting (exit 2 with the HOCON path), connects (waiting for
 * Redis while it is not reachable: {@link RedisWait}), and on the signal stops gracefully: no more claims, running jobs get
 * {@code shutdown-grace} to finish, the rest are cancelled and given back without counting the attempt.
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
        ClientSettings settings = common.clientSettings(config);
        ConfigSections.validate(config, ConfigSections.Daemon.RUNNER, env.getenv("PATH")); // every config error before Redis is touched
        RunnerSettings runnerSettings = RunnerSettings.from(config);
        MetricRegistry metrics = new MetricRegistry();
        Daemons.onStopSignals(env, "runner");
        RedisWait wait = new RedisWait(RedisWait.Settings.from(config), "runner", settings.uri(), runnerSettings.http(), metrics);
        RedisWait.Started<Runner> started = wait.await(() -> JobRunnerClient.connect(settings),
                client -> Runner.create(config, client, metrics).start(), env.stopRequest());
        if (started == null) {
            return ExitCodes.OK; // stopped while waiting for Redis
        }
        boolean failed;
        try (JobRunnerClient client = started.client()) {
            Runner runner = started.daemon();
            try {
                env.err().println("runner " + runner.id() + " running on " + JobRunnerClient.maskPassword(settings.uri())
                        + " (prefix " + settings.prefix() + ")"
                        + (runner.httpPort() > 0 ? ", status on http://" + runnerSettings.http().bind() + ":" + runner.httpPort() + "/status" : "")
                        + "; SIGTERM or Ctrl-C stops it");
                env.err().flush();
                failed = Daemons.awaitStop(env, runner.failure());
            } finally {
                runner.stop();
            }
        }
        return failed ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
