package io.jobrunner.cli;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.typesafe.config.Config;
import io.jobrunner.chron.Chron;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.dashboard.Dashboard;
import io.jobrunner.dashboard.DashboardSettings;
import io.jobrunner.service.Limits;
import io.jobrunner.service.RedisWait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code chron}: the chron daemon ({@link Chron}) until SIGTERM/SIGINT. Validates its config sections before
 * connecting (exit 2 with the HOCON path), connects (waiting for Redis while it is not reachable: {@link RedisWait}), publishes the metrics
 * over JMX ({@code jobrunner.chron}) and the HTTP endpoint, and on the signal stops gracefully: duties first,
 * then the lease is released so a standby takes over at once. Exit 0 after a graceful stop. With
 * {@code jobrunner.dashboard.with-chron} it serves the dashboard too.
 */
@Command(name = "chron", sortOptions = false,
        description = {"Run the chron daemon until SIGTERM or Ctrl-C.",
                "Recycles the claims of runners that died, abandons jobs out of attempts, promotes delayed jobs, prunes "
                        + "old abandoned jobs and keeps the queue registries true. Run two: one leads, the other stands by."})
public final class ChronCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    private final CliEnvironment env;

    ChronCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        Logging.forDaemon(env);
        Config config = common.loadConfig(env);
        if (MediawikiDaemons.isMediawiki(config)) {
            MediawikiDaemons.logWarnings(config, ConfigSections.Daemon.CHRON);
            return MediawikiDaemons.chron(env, config);
        }
        ClientSettings settings = common.clientSettings(config);
        ChronSettings chronSettings = ChronSettings.from(config);
        DashboardSettings board = DashboardSettings.from(config);
        Limits.from(config);
        MetricRegistry metrics = new MetricRegistry();
        Daemons.onStopSignals(env, "chron");
        RedisWait wait = new RedisWait(RedisWait.Settings.from(config), "chron", settings.uri(), chronSettings.http(), metrics);
        RedisWait.Started<Chron> started = wait.await(() -> JobRunnerClient.connect(settings), client -> {
            Chron chron = Chron.create(config, client, metrics);
            chron.start();
            return chron;
        }, env.stopRequest());
        if (started == null) {
            return ExitCodes.OK; // stopped while waiting for Redis
        }
        boolean failed;
        try (JobRunnerClient client = started.client();
             JmxReporter jmx = JmxReporter.forRegistry(metrics).inDomain("jobrunner.chron").build()) {
            Chron chron = started.daemon();
            jmx.start();
            Dashboard dashboard = null;
            try {
                if (board.withChron()) {
                    dashboard = Dashboard.start(board, client);
                    env.err().println("dashboard at " + dashboard.url() + (dashboard.readOnly() ? " (read-only)" : ""));
                }
                env.err().println("chron running on " + JobRunnerClient.maskPassword(settings.uri()) + " (prefix " + settings.prefix() + ")"
                        + (chron.httpPort() > 0 ? ", status on http://" + chron.settings().http().bind() + ":" + chron.httpPort() + "/status" : "")
                        + "; SIGTERM or Ctrl-C stops it");
                env.err().flush();
                failed = Daemons.awaitStop(env, chron.failure());
            } finally {
                if (dashboard != null) {
                    dashboard.close();
                }
                chron.stop();
            }
        }
        return failed ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
