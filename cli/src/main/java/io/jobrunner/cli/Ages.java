package io.jobrunner.cli;

import io.jobrunner.service.HumanDurations;

/** Short human durations for tables: {@code 850ms}, {@code 42s}, {@code 7m12s}, {@code 3h05m}, {@code 2d04h}. */
final class Ages {

    private Ages() {
    }

    static String ago(long millis) {
        return HumanDurations.format(millis);
    }
}
