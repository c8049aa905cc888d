package io.jobrunner.cli;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import io.jobrunner.chron.Chron;
import io.jobrunner.chron.ChronDaemon;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.dashboard.Dashboard;
import io.jobrunner.dashboard.DashboardSettings;
import io.jobrunner.service.DaemonLifecycle;
import io.jobrunner.service.HttpEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code chron}: the chron daemon ({@link Chron}) until SIGTERM/SIGINT, through the same {@link DaemonLifecycle}
 * as {@code ChronMain}: its config sections are validated before connecting (exit 2 with the HOCON path); it
 * connects (waiting for Redis while it is not reachable), publishes the metrics over JMX ({@code jobrunner.chron})
 * and the HTTP endpoint, and on the signal stops gracefully: duties first, then the lease is released so a standby
 * takes over at once. Exit 0 after a graceful stop. With {@code jobrunner.dashboard.with-chron} it serves the
 * dashboard too. In MediaWiki mode it runs the MediaWiki chron instead.
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
        DashboardSettings board = DashboardSettings.from(config);
        DaemonLifecycle.Kind<?> kind = board.withChron() ? new WithDashboard(new ChronDaemon(), board, env) : new ChronDaemon();
        return DaemonLifecycle.run(kind, config, Daemons.stop(env), Daemons.say(env));
    }

    /** The chron with the dashboard beside it: started after the chron, closed before it stops. */
    private record WithDashboard(ChronDaemon chron, DashboardSettings board, CliEnvironment env)
            implements DaemonLifecycle.Kind<WithDashboard.Running> {

        record Running(ChronDaemon.Running chron, Dashboard dashboard) {
        }

        @Override
        public String name() {
            return chron.name();
        }

        @Override
        public void validate(Config config) {
            chron.validate(config);
        }

        @Override
        public HttpEndpoint.Settings http(Config config) {
            return chron.http(config);
        }

        @Override
        public Running start(Config config, JobRunnerClient client, MetricRegistry metrics) {
            ChronDaemon.Running started = chron.start(config, client, metrics);
            try {
                Dashboard dashboard = Dashboard.start(board, client);
                env.err().println("dashboard at " + dashboard.url() + (dashboard.readOnly() ? " (read-only)" : ""));
                return new Running(started, dashboard);
            } catch (RuntimeException e) {
                chron.stop(started);
                throw e;
            }
        }

        @Override
        public CompletableFuture<String> failure(Running running) {
            return chron.failure(running.chron());
        }

        @Override
        public void stop(Running running) {
            try {
                running.dashboard().close();
            } finally {
                chron.stop(running.chron());
            }
        }

        @Override
        public String title(Running running) {
            return chron.title(running.chron());
        }

        @Override
        public int httpPort(Running running) {
            return chron.httpPort(running.chron());
        }
    }
}
