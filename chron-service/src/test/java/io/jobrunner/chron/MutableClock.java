package io.jobrunner.chron;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that stands still until a test moves it: claim expiry, release times and retention without sleeps. */
final class MutableClock extends Clock {

    private final AtomicLong millis;

    MutableClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** Starts at the real time now, so times stored in Redis look ordinary. */
    static MutableClock startingNow() {
        return new MutableClock(Instant.now());
    }

    void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
