package io.jobrunner.runner;

import io.jobrunner.client.QueueName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyLimiterTest {

    @Test
    void typeAndDomainCapsHoldAndAFullCapWakesSlotsWhenFreed() {
        AtomicInteger wakes = new AtomicInteger();
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(new Caps(Map.of("transcode", 2), 0), new Caps(Map.of("hot", 1), 3),
                wakes::incrementAndGet);
        QueueName t1 = new QueueName("d1", "transcode");
        QueueName t2 = new QueueName("d2", "transcode");
        QueueName hot = new QueueName("hot", "mail");

        assertThat(limiter.tryAcquire(t1)).isTrue();
        assertThat(limiter.headroom(t2)).isEqualTo(1);
        assertThat(limiter.tryAcquire(t2)).isTrue();
        assertThat(limiter.tryAcquire(new QueueName("d3", "transcode"))).isFalse(); // type cap 2
        assertThat(limiter.tryAcquire(hot)).isTrue();
        assertThat(limiter.tryAcquire(new QueueName("hot", "other"))).isFalse(); // domain cap 1
        assertThat(limiter.tryAcquire(new QueueName("d1", "other"))).isTrue();
        assertThat(limiter.tryAcquire(new QueueName("d1", "other"))).isTrue();
        assertThat(limiter.tryAcquire(new QueueName("d1", "more"))).isFalse(); // "*" domain cap 3 (d1 has 3)

        limiter.release(t1);
        assertThat(wakes.get()).isEqualTo(1); // transcode (and domain d1) were full: one wake-up
        assertThat(limiter.tryAcquire(new QueueName("d1", "more"))).isTrue();
        assertThat(limiter.tryAcquire(new QueueName("d3", "transcode"))).isTrue();
        limiter.release(new QueueName("hot", "mail"));
        assertThat(wakes.get()).isEqualTo(2); // hot was full
    }

    @Test
    void withoutCapsEverythingPasses() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(Caps.NONE, Caps.NONE, () -> { });
        QueueName q = new QueueName("d", "t");
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire(q)).isTrue();
        }
        assertThat(limiter.headroom(q)).isEqualTo(Integer.MAX_VALUE);
    }
}
