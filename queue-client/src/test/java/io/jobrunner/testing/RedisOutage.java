package io.jobrunner.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A Redis of the test's own that goes away ({@link #begin()}) and comes back on the same port ({@link #end()}),
 * with the lines a daemon logs meanwhile captured from its logger. Needs a redis-server on PATH (the test is
 * skipped without one). {@link #close()} stops whatever runs and detaches the capture.
 */
public final class RedisOutage implements AutoCloseable {

    private final RunningRedis first;
    private final int port;
    private final Logger logger;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private RunningRedis second;

    private RedisOutage(RunningRedis first, Class<?> loggerOf) {
        this.first = first;
        this.port = URI.create(first.uri()).getPort();
        this.logger = (Logger) LoggerFactory.getLogger(loggerOf);
        lines.start();
        logger.addAppender(lines);
    }

    /** A running Redis; the lines logged by {@code loggerOf}'s logger are captured from now on. */
    public static RedisOutage start(Class<?> loggerOf) {
        assumeThat(RedisServers.findRedisServerOnPath()).as("restarting Redis on its port needs redis-server on PATH").isPresent();
        return new RedisOutage(RedisServers.startDedicated(), loggerOf);
    }

    public String uri() {
        return first.uri();
    }

    /** Redis goes away: the process stops, nothing listens on its port. */
    public void begin() {
        first.close();
    }

    /** Redis is back on the same port (empty: its data is gone, as after a restart without persistence). */
    public void end() {
        second = RedisServers.startOnPort(port).orElseThrow();
    }

    public long warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    public List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
        first.close();
        if (second != null) {
            second.close();
        }
    }
}
