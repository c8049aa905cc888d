package io.jobrunner.chron;

import io.jobrunner.client.CronExpression;
import io.jobrunner.client.MissedTicks;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Which ticks of one schedule to fire now, and which to skip: pure, so every rule is unit-tested.
 * <ol>
 *   <li>the ticks due are those after the schedule's mark (its last handled tick, or the time its definition was
 *       written) up to now, walked forward in the schedule's zone;</li>
 *   <li>a tick within {@code grace} of now is on time and fires; an older one was missed (the chron was down, or
 *       no chron led) and follows the schedule's policy: skip fires none, once fires the latest missed tick,
 *       all fires each of the latest {@code maxCatchUp} missed ticks and skips older ones;</li>
 *   <li>a paused schedule skips every due tick, so resuming it fires no backlog;</li>
 *   <li>at most {@value #MAX_STEPS} ticks are walked in one plan; past that, the plan skips what it walked and the
 *       next plan goes on from there (a per-second schedule after days of downtime).</li>
 * </ol>
 * The ticks to skip are reported only as the latest of them ({@link #skipThrough}), which the caller marks
 * handled first; the ticks to fire come after it, in order.
 *
 * @param fire        ticks to fire, oldest first (epoch ms)
 * @param skipThrough the latest tick to mark handled without a job, or 0 when none is skipped
 * @param skipped     how many ticks are skipped
 */
record TickPlan(List<Long> fire, long skipThrough, long skipped) {

    static final int MAX_STEPS = 100_000;

    static TickPlan of(CronExpression cron, ZoneId zone, long mark, long now, long graceMillis, MissedTicks missed,
                       int maxCatchUp, boolean paused) {
        int keepMissed = paused ? 0 : switch (missed) {
            case SKIP -> 0;
            case ONCE -> 1;
            case ALL -> maxCatchUp;
        };
        Deque<Long> keptMissed = new ArrayDeque<>();
        List<Long> onTime = new ArrayList<>();
        long lastSkipped = 0;
        long skipped = 0;
        Instant at = Instant.ofEpochMilli(mark);
        for (int step = 0; step < MAX_STEPS; step++) {
            Instant next = cron.next(at, zone).orElse(null);
            if (next == null || next.toEpochMilli() > now) {
                return plan(keptMissed, onTime, lastSkipped, skipped);
            }
            at = next;
            long tick = next.toEpochMilli();
            if (!paused && now - tick < graceMillis) {
                onTime.add(tick);
            } else if (keepMissed > 0) {
                keptMissed.addLast(tick);
                if (keptMissed.size() > keepMissed) {
                    lastSkipped = keptMissed.removeFirst();
                    skipped++;
                }
            } else {
                lastSkipped = tick;
                skipped++;
            }
        }
        // Too many ticks for one plan: skip all that were walked; the next plan starts after them.
        long walked = at.toEpochMilli();
        return new TickPlan(List.of(), walked, skipped + keptMissed.size() + onTime.size());
    }

    private static TickPlan plan(Deque<Long> keptMissed, List<Long> onTime, long lastSkipped, long skipped) {
        List<Long> fire = new ArrayList<>(keptMissed.size() + onTime.size());
        fire.addAll(keptMissed);
        fire.addAll(onTime);
        return new TickPlan(List.copyOf(fire), lastSkipped, skipped);
    }

    boolean isEmpty() {
        return fire.isEmpty() && skipThrough == 0;
    }
}
