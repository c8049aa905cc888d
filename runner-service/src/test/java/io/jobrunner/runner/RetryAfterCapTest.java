package io.jobrunner.runner;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A delay a job asks for is capped at its type's retry-after-max, so it can neither park a job for decades nor overflow. */
class RetryAfterCapTest {

    private static final Duration MAX = Duration.ofMinutes(10);

    @Test
    void aShortDelayIsKept() {
        assertThat(JobOutcomes.cappedRetryAfter(Duration.ofSeconds(30), MAX)).isEqualTo(Duration.ofSeconds(30));
        assertThat(JobOutcomes.cappedRetryAfter(Duration.ZERO, MAX)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aHugeDelayIsCappedAndItsMillisDoNotOverflow() {
        Duration capped = JobOutcomes.cappedRetryAfter(Duration.ofSeconds(Long.MAX_VALUE), MAX);
        assertThat(capped).isEqualTo(Duration.ofMinutes(10));
        assertThat(System.currentTimeMillis() + capped.toMillis()).isPositive();
        assertThat(JobOutcomes.cappedRetryAfter(Duration.ofSeconds(9_999_999_999_999_999L), MAX)).isEqualTo(Duration.ofMinutes(10));
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
