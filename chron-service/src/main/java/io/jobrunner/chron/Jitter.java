package io.jobrunner.chron;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Spreads periodic work: a wait is shortened by a random part of up to a tenth, never lengthened, so a duty
 * still runs at least once per interval while several processes (or duties) do not line up.
 */
final class Jitter {

    private Jitter() {
    }

    static Duration shorten(Duration interval) {
        long ms = interval.toMillis();
        long cut = ms < 10 ? 0 : ThreadLocalRandom.current().nextLong(ms / 10 + 1);
        return Duration.ofMillis(ms - cut);
    }
}
