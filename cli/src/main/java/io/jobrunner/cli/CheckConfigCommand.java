package io.jobrunner.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.Limits;
import io.jobrunner.service.RedisSection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code check-config}: loads the config exactly as the daemons do, validates every section they read (the
 * same code the daemons run at start; {@code --for runner|chron} checks one daemon's), and prints the
 * resolved {@code jobrunner} tree with its secrets redacted ({@link ConfigRedaction}: by key name, and every URI's
 * password masked). A bad config exits 2 with the HOCON path and what is allowed. Does not connect to Redis.
 */
@Command(name = "check-config", sortOptions = false,
        description = {"Validate the config and print it resolved.",
                "Loads the file over every module's defaults with the environment overrides, validates it as the "
                        + "daemons do at start, and prints the result with secrets redacted (passwords, tokens, headers such as Authorization, env values). "
                        + "Does not connect to Redis."})
public final class CheckConfigCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--for", paramLabel = "DAEMON", defaultValue = "all",
            description = "Check what this daemon reads: runner (groups, executors), chron, or all (default: ${DEFAULT-VALUE}).")
    ConfigSections.Daemon daemon;

    @Option(names = "--json", description = "Print the resolved config as JSON instead of HOCON.")
    boolean json;

    @Option(names = "--quiet", description = "Only validate; print nothing when the config is good.")
    boolean quiet;

    private final CliEnvironment env;

    CheckConfigCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Logging.forTool(env);
        Config config = common.loadConfig(env);
        ClientSettings redis = RedisSection.clientSettings(config);
        java.util.List<String> warnings = java.util.List.of();
        if (MediawikiDaemons.isMediawiki(config)) {
            warnings = MediawikiDaemons.validate(config, daemon);
        } else {
            Limits.from(config);
            ConfigSections.validate(config, daemon, env.getenv("PATH"));
        }
        warnings.forEach(w -> env.err().println("warning: " + w));
        if (!quiet) {
            ConfigObject shown = ConfigRedaction.redact(config.getObject("jobrunner"));
            ConfigRenderOptions options = json ? ConfigRenderOptions.concise().setFormatted(true).setJson(true)
                    : ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false).setFormatted(true);
            env.out().println(shown.atKey("jobrunner").root().render(options));
            Path file = common.configFile(env);
            env.err().println("config ok: " + (file == null ? "built-in defaults" : file) + " (redis " + JobRunnerClient.maskPassword(redis.uri())
                    + ", prefix " + redis.prefix() + ")");
        }
        return ExitCodes.OK;
    }
}
