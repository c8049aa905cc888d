package io.jobrunner.cli;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.typesafe.config.Config;
import io.jobrunner.chron.Chron;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.Limits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code chron}: the chron daemon ({@link Chron}) until SIGTERM/SIGINT. Validates its config sections before
 * connecting (exit 2 with the HOCON path), connects (exit 1 when Redis is unreachable), publishes the metrics
 * over JMX ({@code jobrunner.chron}) and the HTTP endpoint, and on the signal stops gracefully: duties first,
 * then the lease is released so a standby takes over at once. Exit 0 after a graceful stop.
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
        ChronSettings.from(config);
        Limits.from(config);
        MetricRegistry metrics = new MetricRegistry();
        try (JobRunnerClient client = JobRunnerClient.connect(settings);
             JmxReporter jmx = JmxReporter.forRegistry(metrics).inDomain("jobrunner.chron").build()) {
            Chron chron = Chron.create(config, client, metrics);
            Daemons.onStopSignals(env, "chron");
            jmx.start();
            try {
                chron.start();
                env.err().println("chron running on " + JobRunnerClient.maskPassword(settings.uri()) + " (prefix " + settings.prefix() + ")"
                        + (chron.httpPort() > 0 ? ", status on http://" + chron.settings().http().bind() + ":" + chron.httpPort() + "/status" : "")
                        + "; SIGTERM or Ctrl-C stops it");
                env.err().flush();
                Daemons.awaitStop(env);
            } finally {
                chron.stop();
            }
        }
        return ExitCodes.OK;
    }
}
