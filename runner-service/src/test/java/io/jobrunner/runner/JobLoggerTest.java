package io.jobrunner.runner;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/** An executor's log lines carry the queue and job id, from any thread. */
class JobLoggerTest {

    @Test
    void everyLineCarriesQueueAndJobId() throws Exception {
        Logger target = (Logger) LoggerFactory.getLogger("jobs.test-mdc");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        target.addAppender(appender);
        try {
            JobLogger log = new JobLogger(target, "wiki1/sendMail", "job-42");
            log.info("hello {}", "world");
            Thread other = new Thread(() -> log.warn("from another thread", new IllegalStateException("boom")));
            other.start();
            other.join();

            assertThat(appender.list).hasSize(2);
            assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("hello world");
            assertThat(appender.list).allSatisfy(e -> {
                assertThat(e.getMDCPropertyMap()).containsEntry("queue", "wiki1/sendMail").containsEntry("jobId", "job-42");
            });
            assertThat(appender.list.get(1).getThrowableProxy().getMessage()).isEqualTo("boom");
            assertThat(MDC.get("queue")).isNull(); // restored on the caller's thread
        } finally {
            target.detachAppender(appender);
        }
    }
}
