package io.jobrunner.chron;

import java.util.HashMap;
import java.util.Map;

/**
 * A duty's record for {@code /status}: times are ISO-8601 from the injected clock.
 *
 * @param lastCounts  what the last successful run counted
 * @param totalCounts what every run of this process counted
 */
public record DutyStatus(String duty, long runs, long errors, String lastRunAt, long lastRunMillis,
                         Map<String, Long> lastCounts, Map<String, Long> totalCounts, String lastError) {

    static DutyStatus never(String duty) {
        return new DutyStatus(duty, 0, 0, null, 0, Map.of(), Map.of(), null);
    }

    DutyStatus ran(String at, long millis, Map<String, Long> counts) {
        Map<String, Long> totals = new HashMap<>(totalCounts);
        counts.forEach((k, v) -> totals.merge(k, v, Long::sum));
        return new DutyStatus(duty, runs + 1, errors, at, millis, counts, Map.copyOf(totals), lastError);
    }

    DutyStatus failed(String at, String error) {
        return new DutyStatus(duty, runs + 1, errors + 1, at, lastRunMillis, lastCounts, totalCounts, error);
    }
}
