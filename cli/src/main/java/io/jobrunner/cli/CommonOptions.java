package io.jobrunner.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.mediawiki.legacy.MwConfigFiles;
import io.jobrunner.service.RedisSection;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The options every command takes, and what they lead to:
 * <ol>
 *   <li>{@code --config F} (else {@code JOBRUNNER_CONFIG}): the HOCON file over every module's defaults; a
 *       {@code .json} file is a legacy MediaWiki {@code jobrunner.json} ({@code --config-file} is its PHP spelling);</li>
 *   <li>{@code --redis URI}: the Redis to use, over the file and {@code JOBRUNNER_REDIS_URI};</li>
 *   <li>{@link #loadConfig} and {@link #connect} for the commands, so they all resolve config the same way.</li>
 * </ol>
 * The key prefix comes from the file or {@code JOBRUNNER_REDIS_PREFIX}.
 */
public final class CommonOptions {

    /** Names the config file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "JOBRUNNER_CONFIG";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "HOCON config file (default: $" + CONFIG_ENV + ", else built-in defaults).")
    Path config;

    @Option(names = "--config-file", paramLabel = "FILE", hidden = true,
            description = "Same as --config (the PHP jobrunner services' flag).")
    Path configFile;

    @Option(names = "--verbose", description = "Log at DEBUG.")
    boolean verbose;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--redis", paramLabel = "URI",
            description = "Redis to use, e.g. redis://127.0.0.1:6379 (overrides the config and $JOBRUNNER_REDIS_URI).")
    String redis;

    /** The config file in effect, or null for defaults only. */
    public Path configFile(CliEnvironment env) {
        if (config != null || configFile != null) {
            return env.resolve(config != null ? config : configFile);
        }
        String fromEnv = env.getenv(CONFIG_ENV);
        return fromEnv == null ? null : env.resolve(Path.of(fromEnv));
    }

    /** The resolved config: file over defaults, environment overrides, then {@code --redis}. */
    public Config loadConfig(CliEnvironment env) {
        if (verbose) {
            Logging.debug();
        }
        Config loaded = MwConfigFiles.load(configFile(env), env.env());
        if (redis != null) {
            loaded = loaded.withValue("jobrunner.redis.uri", ConfigValueFactory.fromAnyRef(redis, "option --redis"));
        }
        MediawikiDaemons.refuseNativeOnly(loaded, command == null ? "" : command.qualifiedName());
        return loaded;
    }

    public ClientSettings clientSettings(Config config) {
        return RedisSection.clientSettings(config);
    }

    /** Connects with the resolved settings; an unreachable Redis fails here with the URI in the message. */
    public JobRunnerClient connect(CliEnvironment env) {
        return JobRunnerClient.connect(clientSettings(loadConfig(env)));
    }
}
