package io.jobrunner.runner;

import io.jobrunner.client.KeyLayout;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RateLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What pickers and idle slots see of rate limits: which queues a limit covers, blocks and when they end. */
class ClusterRatesTest {

    private static final RateLimit TEN_PER_SECOND = new RateLimit(10, Duration.ofSeconds(1), 1);

    private final ClusterRates rates = new ClusterRates(RateRules.NONE, new RateRules(Map.of("shop1", TEN_PER_SECOND), null),
            new RateRules(Map.of("sendMail", TEN_PER_SECOND), null), null, new KeyLayout("jr"), Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Test
    void aQueuesOwnLimitRidesInItsClaimAndASharedOneIsTakenBefore() {
        assertThat(rates.active()).isTrue();
        assertThat(rates.perQueue(new QueueName("any", "sendMail"))).isEqualTo(TEN_PER_SECOND);
        assertThat(rates.perQueue(new QueueName("any", "other"))).isNull();
        assertThat(rates.shared(new QueueName("shop1", "other"))).isTrue();
        assertThat(rates.shared(new QueueName("shop2", "sendMail"))).isFalse();
        assertThat(ClusterRates.none().active()).isFalse();
        assertThat(ClusterRates.none().blocked(new QueueName("shop1", "sendMail"))).isFalse();
    }

    @Test
    void aQueueWaitingForItsNextTokenIsSkippedUntilThenAndTheIdleWaitEndsWithIt() {
        QueueName limited = new QueueName("shop2", "sendMail");
        assertThat(rates.nanosUntilNextToken()).isEqualTo(Long.MAX_VALUE);
        rates.queueWait(limited, 300);
        assertThat(rates.blocked(limited)).isTrue();
        assertThat(rates.blocked(new QueueName("shop3", "sendMail"))).as("each queue its own bucket").isFalse();
        assertThat(rates.nanosUntilNextToken()).isBetween(1L, TimeUnit.MILLISECONDS.toNanos(300));

        await().atMost(Duration.ofSeconds(10)).until(() -> !rates.blocked(limited));
        assertThat(rates.nanosUntilNextToken()).as("an ended block leaves no wake-up behind").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aBlockNeverOutlastsTheRefreshInterval() {
        QueueName limited = new QueueName("shop2", "sendMail");
        rates.queueWait(limited, 60_000);
        assertThat(rates.nanosUntilNextToken()).isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        rates.queueWait(limited, 0);
        assertThat(rates.blocked(limited)).as("no wait: the earlier block stands").isTrue();
    }
}
