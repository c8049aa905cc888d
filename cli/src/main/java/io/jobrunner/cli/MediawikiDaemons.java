package io.jobrunner.cli;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.mediawiki.chron.MwChron;
import io.jobrunner.mediawiki.runner.MwRunner;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.service.RedisSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The {@code runner}, {@code chron} and {@code check-config} commands in MediaWiki mode ({@code jobrunner.mode =
 * mediawiki} or a legacy {@code jobrunner.json}), and the commands refused in it.
 */
final class MediawikiDaemons {

    private static final Logger log = LoggerFactory.getLogger(MediawikiDaemons.class);
    private static final Set<String> NATIVE_ONLY = Set.of("jobrunner push", "jobrunner list", "jobrunner run", "jobrunner abandoned", "jobrunner quickstart", "jobrunner stats",
            "jobrunner schedule", "jobrunner job", "jobrunner pause", "jobrunner resume", "jobrunner runners", "jobrunner dashboard");

    /** Keys of native mode that MediaWiki mode does not read (check-config lists those set). */
    static final List<String> IGNORED = List.of("jobrunner.limits", "jobrunner.executors", "jobrunner.runner.claim-batch",
            "jobrunner.runner.buffer-time", "jobrunner.chron.due-batch", "jobrunner.chron.repair-interval",
            "jobrunner.chron.root-retention", "jobrunner.chron.gauges", "jobrunner.chron.schedules", "jobrunner.schedules");

    private MediawikiDaemons() {
    }

    static boolean isMediawiki(Config config) {
        return MwSettings.isMediawikiMode(config);
    }

    /** Refuses, with exit 2, a command that works on jobrunner's own queues when the config is in MediaWiki mode. */
    static void refuseNativeOnly(Config config, String command) {
        if (NATIVE_ONLY.stream().anyMatch(c -> command.equals(c) || command.startsWith(c + " ")) && isMediawiki(config)) {
            throw new ConfigException.Generic("'" + command + "' is not available in mediawiki mode: use MediaWiki's maintenance scripts "
                    + "(showJobs.php, runJobs.php, manageJobs.php)" + (command.endsWith(" stats") ? " or jobrunner mediawiki stats" : ""));
        }
    }

    /** Validates what MediaWiki mode reads; returns the warnings of MwSettings and the ignored keys that are set. */
    static List<String> validate(Config config, ConfigSections.Daemon daemon) {
        RedisSection.clientSettings(config);
        MwSettings settings = MwSettings.from(config);
        RunnerSettings runner = daemon == ConfigSections.Daemon.CHRON ? null : RunnerSettings.from(config);
        if (daemon != ConfigSections.Daemon.RUNNER) {
            ChronSettings.from(config);
        }
        List<String> warnings = new java.util.ArrayList<>(runner == null ? List.of()
                : settings.warnings(runner.shareWindow(), runner.shutdownGrace()));
        Config reference = ConfigFactory.defaultReference(MediawikiDaemons.class.getClassLoader());
        for (String path : IGNORED) {
            if (config.hasPath(path) && reference.hasPath(path) && !config.getValue(path).equals(reference.getValue(path))) {
                warnings.add(path + " is set but not used in mediawiki mode");
            }
        }
        return warnings;
    }

    static int chron(CliEnvironment env, Config config) throws InterruptedException {
        MwSettings settings = MwSettings.from(config);
        ChronSettings chronSettings = ChronSettings.from(config);
        int batchSize = RedisSection.clientSettings(config).batchSize();
        MetricRegistry metrics = new MetricRegistry();
        MwChron chron = new MwChron(settings, chronSettings, batchSize, metrics, Clock.systemUTC());
        boolean failed;
        try (JmxReporter jmx = JmxReporter.forRegistry(metrics).inDomain("jobrunner.chron").build()) {
            Daemons.onStopSignals(env, "chron");
            jmx.start();
            chron.start();
            try {
                env.err().println("chron (mediawiki mode) on " + settings.queues().size() + " queue server(s)"
                        + (chron.httpPort() > 0 ? ", status on http://" + chronSettings.http().bind() + ":" + chron.httpPort() + "/status" : "")
                        + "; SIGTERM or Ctrl-C stops it");
                env.err().flush();
                failed = Daemons.awaitStop(env, chron.failure());
            } finally {
                chron.stop();
            }
        }
        return failed ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    static int runner(CliEnvironment env, Config config) throws InterruptedException {
        MwSettings settings = MwSettings.from(config);
        RunnerSettings runnerSettings = RunnerSettings.from(config);
        MetricRegistry metrics = new MetricRegistry();
        MwRunner runner = new MwRunner(settings, runnerSettings, metrics, Clock.systemUTC());
        try (JmxReporter jmx = JmxReporter.forRegistry(metrics).inDomain("jobrunner.runner").build()) {
            if (runnerSettings.jmx()) {
                jmx.start();
            }
            Daemons.onStopSignals(env, "runner");
            runner.start();
            try {
                env.err().println("runner " + runner.id() + " (mediawiki mode)"
                        + (runner.httpPort() > 0 ? ", status on http://" + runnerSettings.http().bind() + ":" + runner.httpPort() + "/status" : "")
                        + "; SIGTERM or Ctrl-C stops it");
                env.err().flush();
                Daemons.awaitStop(env);
            } finally {
                runner.stop();
            }
        }
        return ExitCodes.OK;
    }

    static void logWarnings(Config config, ConfigSections.Daemon daemon) {
        validate(config, daemon).forEach(w -> log.warn("config: {}", w));
    }
}
