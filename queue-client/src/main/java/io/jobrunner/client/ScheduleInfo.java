package io.jobrunner.client;

import java.time.Instant;

/**
 * What an operator sees of one schedule ({@code schedule list}, {@code stats}, the chron's {@code /status}).
 *
 * @param stored    the definition, its source and since when it holds
 * @param pausedAt  when it was paused, or null while it runs
 * @param lastTick  the last tick handled (fired, or skipped), or null before the first
 * @param nextTick  the next tick after now, or null when paused or when the expression never fires again
 */
public record ScheduleInfo(StoredSchedule stored, Instant pausedAt, Instant lastTick, Instant nextTick) {

    public Schedule schedule() {
        return stored.schedule();
    }

    public boolean paused() {
        return pausedAt != null;
    }
}
