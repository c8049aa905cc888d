package io.jobrunner.runner;

import io.jobrunner.service.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A delay a job asks for is capped at its type's backoff.max, so it can neither park a job for decades nor overflow. */
class RetryAfterCapTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

    @Test
    void aShortDelayIsKept() {
        assertThat(JobOutcomes.cappedRetryAfter(Duration.ofSeconds(30), BACKOFF)).isEqualTo(Duration.ofSeconds(30));
        assertThat(JobOutcomes.cappedRetryAfter(Duration.ZERO, BACKOFF)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aHugeDelayIsCappedAndItsMillisDoNotOverflow() {
        Duration capped = JobOutcomes.cappedRetryAfter(Duration.ofSeconds(Long.MAX_VALUE), BACKOFF);
        assertThat(capped).isEqualTo(Duration.ofMinutes(10));
        assertThat(System.currentTimeMillis() + capped.toMillis()).isPositive();
        assertThat(JobOutcomes.cappedRetryAfter(Duration.ofSeconds(9_999_999_999_999_999L), BACKOFF)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void outcomeRetriesBackOffFrom100MsToTwoSeconds() {
        assertThat(OutcomeRetries.delayMillis(1)).isEqualTo(100);
        assertThat(OutcomeRetries.delayMillis(2)).isEqualTo(200);
        assertThat(OutcomeRetries.delayMillis(5)).isEqualTo(1600);
        assertThat(OutcomeRetries.delayMillis(6)).isEqualTo(2000);
        assertThat(OutcomeRetries.delayMillis(1000)).isEqualTo(2000);
    }
}
