package io.jobrunner.chron;

import io.jobrunner.client.CronExpression;
import io.jobrunner.client.MissedTicks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TickPlanTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final CronExpression HOURLY = CronExpression.parse("0 * * * *");
    private static final long GRACE = Duration.ofMinutes(1).toMillis();

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static TickPlan plan(CronExpression cron, String mark, String now, MissedTicks missed, int maxCatchUp, boolean paused) {
        return TickPlan.of(cron, UTC, at(mark), at(now), GRACE, missed, maxCatchUp, paused);
    }

    @Test
    void nothingIsDueBeforeTheNextTick() {
        TickPlan p = plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T10:59:59.999Z", MissedTicks.SKIP, 100, false);
        assertThat(p.isEmpty()).isTrue();
    }

    @Test
    void aTickFiresAtItsTimeAndWithinTheGrace() {
        assertThat(plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z", MissedTicks.SKIP, 100, false).fire())
                .containsExactly(at("2030-01-01T11:00:00Z"));
        assertThat(plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T11:00:59.999Z", MissedTicks.SKIP, 100, false).fire())
                .containsExactly(at("2030-01-01T11:00:00Z"));
    }

    @Test
    void skipDropsMissedTicksAndFiresOnlyOnTimeOnes() {
        TickPlan p = plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T14:00:30Z", MissedTicks.SKIP, 100, false);
        assertThat(p.fire()).containsExactly(at("2030-01-01T14:00:00Z"));
        assertThat(p.skipThrough()).isEqualTo(at("2030-01-01T13:00:00Z"));
        assertThat(p.skipped()).isEqualTo(3);

        TickPlan late = plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T14:01:00Z", MissedTicks.SKIP, 100, false);
        assertThat(late.fire()).as("a tick a full grace late was missed").isEmpty();
        assertThat(late.skipThrough()).isEqualTo(at("2030-01-01T14:00:00Z"));
        assertThat(late.skipped()).isEqualTo(4);
    }

    @Test
    void onceFiresTheLatestMissedTickOnly() {
        TickPlan p = plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T14:30:00Z", MissedTicks.ONCE, 100, false);
        assertThat(p.fire()).containsExactly(at("2030-01-01T14:00:00Z"));
        assertThat(p.skipThrough()).isEqualTo(at("2030-01-01T13:00:00Z"));
        assertThat(p.skipped()).isEqualTo(3);
    }

    @Test
    void allFiresEachMissedTickUpToTheBound() {
        TickPlan all = plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T13:30:00Z", MissedTicks.ALL, 100, false);
        assertThat(all.fire()).containsExactly(at("2030-01-01T11:00:00Z"), at("2030-01-01T12:00:00Z"), at("2030-01-01T13:00:00Z"));
        assertThat(all.skipThrough()).isZero();

        TickPlan bounded = plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-02T10:00:30Z", MissedTicks.ALL, 3, false);
        assertThat(bounded.fire()).as("the latest three missed, then the one on time").containsExactly(
                at("2030-01-02T07:00:00Z"), at("2030-01-02T08:00:00Z"), at("2030-01-02T09:00:00Z"), at("2030-01-02T10:00:00Z"));
        assertThat(bounded.skipThrough()).isEqualTo(at("2030-01-02T06:00:00Z"));
        assertThat(bounded.skipped()).isEqualTo(20);
    }

    @Test
    void aPausedScheduleSkipsEveryTickEvenOnTimeOnes() {
        TickPlan p = plan(HOURLY, "2030-01-01T10:00:00Z", "2030-01-01T12:00:10Z", MissedTicks.ALL, 100, true);
        assertThat(p.fire()).isEmpty();
        assertThat(p.skipThrough()).isEqualTo(at("2030-01-01T12:00:00Z"));
        assertThat(p.skipped()).isEqualTo(2);
    }

    @Test
    void aVeryLongDowntimeIsWalkedInBoundedSteps() {
        CronExpression everySecond = CronExpression.parse("* * * * * *");
        TickPlan p = plan(everySecond, "2030-01-01T00:00:00Z", "2030-01-10T00:00:00Z", MissedTicks.ONCE, 100, false);
        assertThat(p.fire()).isEmpty();
        assertThat(p.skipped()).isEqualTo(TickPlan.MAX_STEPS);
        assertThat(p.skipThrough()).isEqualTo(at("2030-01-01T00:00:00Z") + TickPlan.MAX_STEPS * 1000L);
    }

    @Test
    void ticksInAZoneFollowItsDaylightSavingTime() {
        CronExpression nightly = CronExpression.parse("0 3 * * *");
        TickPlan p = TickPlan.of(nightly, ZoneId.of("Europe/Berlin"), at("2026-03-28T03:00:00Z"), at("2026-03-29T01:00:05Z"), GRACE,
                MissedTicks.SKIP, 100, false);
        assertThat(p.fire()).as("03:00 CEST on the night of the change").isEqualTo(List.of(at("2026-03-29T01:00:00Z")));
    }
}
