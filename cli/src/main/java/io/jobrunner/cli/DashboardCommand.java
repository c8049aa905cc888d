package io.jobrunner.cli;

import com.typesafe.config.Config;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.dashboard.Dashboard;
import io.jobrunner.dashboard.DashboardSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code dashboard}: the web dashboard and HTTP JSON API ({@link Dashboard}) until SIGTERM/SIGINT; prints the
 * address to open. Read-only unless {@code jobrunner.dashboard.auth} names a token or a user. Any number may run
 * against one Redis.
 */
@Command(name = "dashboard", sortOptions = false,
        description = {"Serve the web dashboard (and its JSON API) until SIGTERM or Ctrl-C; prints the address to open.",
                "Queues, jobs, runners and throughput charts, live. Actions (retry, delete, pause, cancel, ...) need "
                        + "jobrunner.dashboard.auth (a token, or a user and password); without it the dashboard is read-only."})
public final class DashboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to bind (default: jobrunner.dashboard.bind, 127.0.0.1).")
    String bind;

    @Option(names = "--port", paramLabel = "N", description = "Port, 0 for any free one (default: jobrunner.dashboard.port, 9330).")
    Integer port;

    private final CliEnvironment env;

    DashboardCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.forDaemon(env);
        Config config = common.loadConfig(env);
        ClientSettings client = common.clientSettings(config);
        DashboardSettings settings = DashboardSettings.from(config);
        if (port != null && (port < 0 || port > 65535)) {
            throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, was " + port);
        }
        settings = settings.at(bind == null ? settings.bind() : bind, port == null ? settings.port() : port);
        try (JobRunnerClient redis = JobRunnerClient.connect(client)) {
            Daemons.onStopSignals(env, "dashboard");
            try (Dashboard dashboard = Dashboard.start(settings, redis)) {
                env.out().println("dashboard at " + dashboard.url() + " on " + JobRunnerClient.maskPassword(client.uri())
                        + " (prefix " + client.prefix() + ")" + (dashboard.readOnly()
                        ? "; read-only: set jobrunner.dashboard.auth.token (or auth.user and auth.password) to allow actions"
                        : "; log in to act") + "; Ctrl-C stops it");
                env.out().flush();
                Daemons.awaitStop(env);
            }
        }
        return ExitCodes.OK;
    }
}
