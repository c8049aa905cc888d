package io.jobrunner.git;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Captures every log event of the process (root logger), and of JGit and jobrunner at DEBUG, in a Logback
 * {@link ListAppender}; {@link #text()} is everything written, messages and exceptions with their causes.
 * Restores the levels on close.
 */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final List<Logger> raised = new ArrayList<>();
    private final List<Level> previous = new ArrayList<>();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        for (String name : List.of("org.eclipse.jgit", "io.jobrunner")) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            raised.add(logger);
            previous.add(logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
    }

    /** How many events were captured. */
    int size() {
        return appender.list.size();
    }

    /** All captured text: formatted messages, exception classes, messages and stack frames, causes included. */
    String text() {
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            out.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ").append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                out.append("  ").append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
                for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                    out.append("    ").append(frame.getSTEAsString()).append('\n');
                }
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        for (int i = 0; i < raised.size(); i++) {
            raised.get(i).setLevel(previous.get(i));
        }
    }
}
