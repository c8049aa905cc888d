package io.jobrunner.service;

/** Short human durations for tables and pages: {@code 850ms}, {@code 42s}, {@code 7m12s}, {@code 3h05m}, {@code 2d04h}. */
public final class HumanDurations {

    private HumanDurations() {
    }

    /** {@code millis} (negative counts as 0) in its two largest units. */
    public static String format(long millis) {
        long ms = Math.max(0, millis);
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
        }
        return (s / 86_400) + "d" + String.format("%02d", (s % 86_400) / 3600) + "h";
    }
}
