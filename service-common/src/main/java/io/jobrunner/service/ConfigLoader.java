package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the configuration: the operator's file (HOCON) over every module's {@code reference.conf}, with
 * environment overrides on top, then rejects keys that no module defines (a typo must not be silently
 * ignored). Mapping to records and range checks are the sections' own ({@link RedisSection}, {@link Limits},
 * the runner's and chron's). Every failure is a {@link ConfigException} naming the HOCON path.
 */
public final class ConfigLoader {

    /** Environment variables that override a config path. */
    public static final Map<String, String> ENV_OVERRIDES = Map.of(
            "JOBRUNNER_REDIS_URI", "jobrunner.redis.uri",
            "JOBRUNNER_REDIS_PREFIX", "jobrunner.redis.prefix",
            "JOBRUNNER_RUNNER_ID", "jobrunner.runner.id",
            "JOBRUNNER_DASHBOARD_TOKEN", "jobrunner.dashboard.auth.token",
            "JOBRUNNER_DASHBOARD_PASSWORD", "jobrunner.dashboard.auth.password");

    private ConfigLoader() {
    }

    /** Loads {@code file} (null: defaults only) with the process environment's overrides. */
    public static Config load(Path file) {
        return load(file, System.getenv());
    }

    public static Config load(Path file, Map<String, String> env) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException.IO(ConfigFactory.empty().origin(), "config file " + file + " does not exist or is not a file");
            }
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        return fromUserConfig(user, env);
    }

    /** Layers a parsed operator config (a file, or one built in code such as the quickstart's) over the defaults. */
    public static Config fromUserConfig(Config user, Map<String, String> env) {
        Config reference = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());
        UnknownKeys.reject(user, reference);
        Config overrides = ConfigFactory.empty();
        for (Map.Entry<String, String> e : ENV_OVERRIDES.entrySet()) {
            String value = env.get(e.getKey());
            if (value != null && !value.isBlank()) {
                overrides = overrides.withValue(e.getValue(), ConfigValueFactory.fromAnyRef(value, "environment variable " + e.getKey()));
            }
        }
        return overrides.withFallback(user).withFallback(reference).resolve();
    }
}
