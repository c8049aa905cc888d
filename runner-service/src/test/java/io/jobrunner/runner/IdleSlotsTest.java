package io.jobrunner.runner;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IdleSlotsTest {

    @Test
    void aSignalBetweenLookingAndWaitingIsNotLost() {
        IdleSlots idle = new IdleSlots();
        long seen = idle.generation();
        idle.wakeOne(); // nobody waits yet
        long t0 = System.nanoTime();
        assertThat(idle.await(seen, TimeUnit.SECONDS.toNanos(10))).isTrue();
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void wakeOneWakesExactlyOneWaiter() throws Exception {
        IdleSlots idle = new IdleSlots();
        AtomicInteger woken = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                if (idle.await(idle.generation(), TimeUnit.SECONDS.toNanos(3))) {
                    woken.incrementAndGet();
                }
                done.countDown();
            });
            t.setDaemon(true);
            t.start();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> idle.waitingCount() == 3);
        idle.wakeOne();
        await().atMost(Duration.ofSeconds(5)).until(() -> woken.get() == 1);
        assertThat(idle.waitingCount()).isEqualTo(2);
        idle.wakeAll();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(woken.get()).isEqualTo(3);
    }

    @Test
    void theTimeoutIsTheFallback() {
        IdleSlots idle = new IdleSlots();
        assertThat(idle.await(idle.generation(), TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
        assertThat(idle.waitingCount()).isZero();
    }
}
