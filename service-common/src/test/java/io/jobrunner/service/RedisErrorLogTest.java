package io.jobrunner.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RedisErrorLogTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger counted = new AtomicInteger();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final RedisErrorLog errors;

    RedisErrorLogTest() {
        Logger logger = (Logger) LoggerFactory.getLogger("redis-error-log-test");
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
        errors = new RedisErrorLog(logger, counted::incrementAndGet, Duration.ofSeconds(30), now::get);
    }

    @Test
    void anOutageLogsItsFirstFailureThenOneLineAWindowWithTheCountThenOneLineWhenRedisIsBack() {
        errors.succeeded();
        assertThat(lines.list).as("nothing failed: nothing to say").isEmpty();

        for (int i = 0; i < 300; i++) { // 200 ms apart for 60 s, as the chron's lease loop retries
            errors.failed("lease renewal failed: {}", "Connection refused");
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        }
        assertThat(counted).as("every failure is counted").hasValue(300);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "lease renewal failed: Connection refused",
                "lease renewal failed: Connection refused (149 more failed Redis calls in the last 30 s)");
        assertThat(errors.failing()).isTrue();

        errors.succeeded();
        errors.succeeded();
        assertThat(lines.list).hasSize(3);
        assertThat(lines.list.get(2).getLevel()).isEqualTo(Level.INFO);
        assertThat(lines.list.get(2).getFormattedMessage()).isEqualTo("Redis reachable again after 60.0 s of failures (300 failed calls)");

        errors.failed("claim failed: {}", "timeout");
        assertThat(lines.list).as("a new outage is logged at once").hasSize(4);
        assertThat(lines.list.get(3).getFormattedMessage()).isEqualTo("claim failed: timeout");
    }
}
