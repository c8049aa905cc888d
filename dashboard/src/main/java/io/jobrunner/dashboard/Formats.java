package io.jobrunner.dashboard;

import io.jobrunner.service.HumanDurations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Human texts for durations and times on the pages. */
final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String duration(long millis) {
        return HumanDurations.format(millis);
    }

    /** {@code in 5s} or {@code 5s ago} relative to now. */
    static String relative(long at, long now) {
        return at >= now ? "in " + duration(at - now) : duration(now - at) + " ago";
    }

    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
