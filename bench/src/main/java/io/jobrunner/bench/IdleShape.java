package io.jobrunner.bench;

/**
 * One shape of the idle pickup scenario: a runner with {@code slots} idle slots, jobs pushed one at a time
 * {@code pauseMillis} apart (after the previous one started).
 *
 * @param slots       runner slots, 1 to 1024
 * @param pauseMillis pause after each pickup before the next push, at least 1 ms
 */
public record IdleShape(int slots, int pauseMillis) {

    public IdleShape {
        if (slots < 1 || slots > 1024) {
            throw new IllegalArgumentException("slots must be 1 to 1024, was " + slots);
        }
        if (pauseMillis < 1) {
            throw new IllegalArgumentException("the pause must be at least 1 ms, was " + pauseMillis);
        }
    }

    /** Parses {@code SLOTS:PAUSE_MS}, e.g. {@code 8:5}. */
    public static IdleShape parse(String text) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not SLOTS:PAUSE_MS (e.g. 8:5)");
        }
        try {
            return new IdleShape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not SLOTS:PAUSE_MS (e.g. 8:5): not a number");
        }
    }

    /** As the result labels name it: {@code 1 slot, 2 ms apart}. */
    public String label() {
        return slots + (slots == 1 ? " slot, " : " slots, ") + pauseMillis + " ms apart";
    }

    @Override
    public String toString() {
        return slots + ":" + pauseMillis;
    }
}
