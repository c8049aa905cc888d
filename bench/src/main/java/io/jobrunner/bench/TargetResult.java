package io.jobrunner.bench;

/**
 * A target of the issue, checked against what was measured (never asserted by tests).
 *
 * @param name      short name, e.g. {@code drain 64 slots}
 * @param goal      the target as text, e.g. {@code >= 45% of the ceiling's script calls/s}
 * @param measured  what was measured, as text
 * @param met       true when the target is met; null when it could not be evaluated (scenario not run)
 */
public record TargetResult(String name, String goal, String measured, Boolean met) {

    public String verdict() {
        return met == null ? "n/a" : met ? "met" : "missed";
    }
}
