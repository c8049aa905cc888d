package io.jobrunner.runner.executor;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 section 10.2.3): either a number of seconds or an
 * HTTP-date (IMF-fixdate, {@code Sun, 06 Nov 1994 08:49:37 GMT}). A date in the past means "now"
 * (zero); anything unreadable means "no hint" (null), so the job's configured backoff applies. A huge value is
 * returned as it is (saturated at the longest {@link Duration} of whole seconds); the runner caps every asked-for
 * delay at the type's {@code backoff.max}.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    /** The delay the header asks for, or null when absent or unreadable. */
    static Duration parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(Long.MAX_VALUE); // more digits than a long: as long as can be (capped by the caller)
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration delay = Duration.between(clock.instant(), at.toInstant());
            return delay.isNegative() ? Duration.ZERO : delay;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
