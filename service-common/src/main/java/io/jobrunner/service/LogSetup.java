package io.jobrunner.service;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What every entry point does to logging before it logs:
 * <ul>
 *   <li>{@code JOBRUNNER_LOG_FORMAT}: {@code text} (the default: the logback file's pattern) or {@code json}
 *       (the console appenders get logback's JSON encoder: one object per line with timestamp, level, thread,
 *       logger, the MDC fields such as the job's queue and id, the formatted message and any throwable);
 *       another value fails start;</li>
 *   <li>routes {@code java.util.logging} (JDK-internal lines) through SLF4J, so every line has one format.</li>
 * </ul>
 * A logback configuration of the user's own (no console appender) is left as it is.
 */
public final class LogSetup {

    public static final String FORMAT_ENV = "JOBRUNNER_LOG_FORMAT";
    static final Set<String> FORMATS = Set.of("text", "json");

    private LogSetup() {
    }

    /** {@link #install(String)} from the environment; false (with the reason on {@code err}) when the format is wrong. */
    public static boolean install(Map<String, String> env, PrintStream err) {
        try {
            install(env.get(FORMAT_ENV));
            return true;
        } catch (IllegalArgumentException e) {
            err.println("config error: " + e.getMessage());
            return false;
        }
    }

    /** @param format the value of {@code JOBRUNNER_LOG_FORMAT}, or null for text */
    public static void install(String format) {
        if (format != null && !FORMATS.contains(format)) {
            throw new IllegalArgumentException(FORMAT_ENV + " must be text or json, was '" + format + "'");
        }
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        if ("json".equals(format) && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            useJson(context);
        }
    }

    private static void useJson(LoggerContext context) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out && !(out.getEncoder() instanceof JsonEncoder)) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithFormattedMessage(true);
                json.start();
                out.stop();
                out.setEncoder(json);
                out.start();
            }
        }
    }
}
