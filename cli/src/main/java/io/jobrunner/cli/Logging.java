package io.jobrunner.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.typesafe.config.ConfigException;
import io.jobrunner.service.LogSetup;
import org.slf4j.LoggerFactory;

/**
 * Log levels by kind of command: daemons log at INFO, one-shot tools only warnings (their output is the
 * result). {@code JOBRUNNER_LOG_LEVEL} (TRACE, DEBUG, INFO, WARN, ERROR) wins over both; a full logback
 * file can be given with {@code -Dlogback.configurationFile=...} through {@code JAVA_OPTS}.
 * {@code JOBRUNNER_LOG_FORMAT=json} logs JSON lines instead of text ({@link LogSetup}); another value is a config error.
 */
public final class Logging {

    public static final String LEVEL_ENV = "JOBRUNNER_LOG_LEVEL";

    private Logging() {
    }

    public static void forDaemon(CliEnvironment env) {
        setRoot(env, Level.INFO);
    }

    public static void forTool(CliEnvironment env) {
        setRoot(env, Level.WARN);
    }

    /** DEBUG for everything ({@code --verbose}). */
    public static void debug() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
        }
    }

    /** Silences logging, e.g. while a command tears down what it started after Ctrl-C. */
    public static void off() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.OFF);
        }
    }

    private static void setRoot(CliEnvironment env, Level fallback) {
        try {
            LogSetup.install(env.getenv(LogSetup.FORMAT_ENV));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic(e.getMessage());
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return; // another SLF4J binding: leave its configuration alone
        }
        String wanted = env.getenv(LEVEL_ENV);
        Level level = wanted == null ? fallback : Level.toLevel(wanted, fallback);
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(level);
    }
}
