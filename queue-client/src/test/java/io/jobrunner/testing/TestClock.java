package io.jobrunner.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves by hand, for expiry, delays and leases without sleeps. Give it to
 * {@code TestRedis.client(clock)}; every client API reads the time from it.
 * <ol>
 *   <li>stands still until {@link #advance} or {@link #set} moves it;</li>
 *   <li>{@link #onNextRead} runs an action once, at the next read of the time, before the time is returned:
 *       a way to slip a concurrent action between two steps of code that reads the clock in between.</li>
 * </ol>
 */
public final class TestClock extends Clock {

    /** Where a new test clock starts: a fixed instant, so runs repeat. */
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final AtomicLong millis;
    private final AtomicReference<Runnable> onNextRead;
    private final ZoneId zone;

    public TestClock() {
        this(START);
    }

    public TestClock(Instant start) {
        this(new AtomicLong(start.toEpochMilli()), new AtomicReference<>(), ZoneOffset.UTC);
    }

    private TestClock(AtomicLong millis, AtomicReference<Runnable> onNextRead, ZoneId zone) {
        this.millis = millis;
        this.onNextRead = onNextRead;
        this.zone = zone;
    }

    /** Moves the clock forward (or back, with a negative duration); returns this. */
    public TestClock advance(Duration by) {
        millis.addAndGet(by.toMillis());
        return this;
    }

    public TestClock set(Instant now) {
        millis.set(now.toEpochMilli());
        return this;
    }

    /** Runs {@code action} once, in the reading thread, at the next read of this clock. */
    public void onNextRead(Runnable action) {
        onNextRead.set(Objects.requireNonNull(action, "action"));
    }

    @Override
    public long millis() {
        Runnable action = onNextRead.getAndSet(null);
        if (action != null) {
            action.run();
        }
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new TestClock(millis, onNextRead, newZone);
    }

    @Override
    public String toString() {
        return "TestClock[" + Instant.ofEpochMilli(millis.get()) + "]";
    }
}
