package io.jobrunner.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronExpressionTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static List<Instant> ticks(String cron, ZoneId zone, String from, int n) {
        CronExpression c = CronExpression.parse(cron);
        List<Instant> out = new ArrayList<>();
        Instant at = Instant.parse(from);
        for (int i = 0; i < n; i++) {
            at = c.next(at, zone).orElseThrow();
            out.add(at);
        }
        return out;
    }

    @Test
    void fiveFieldsAreUnixCronAndSixFieldsStartWithSeconds() {
        assertThat(ticks("*/15 * * * *", UTC, "2030-01-01T00:07:00Z", 2))
                .containsExactly(Instant.parse("2030-01-01T00:15:00Z"), Instant.parse("2030-01-01T00:30:00Z"));
        assertThat(ticks("*/20 * * * * *", UTC, "2030-01-01T00:00:05Z", 2))
                .containsExactly(Instant.parse("2030-01-01T00:00:20Z"), Instant.parse("2030-01-01T00:00:40Z"));
        // Sunday is 0 or 7; 2030-01-06 is a Sunday
        assertThat(ticks("0 12 * * 0", UTC, "2030-01-01T00:00:00Z", 1)).containsExactly(Instant.parse("2030-01-06T12:00:00Z"));
        assertThat(ticks("0 12 * * 7", UTC, "2030-01-01T00:00:00Z", 1)).containsExactly(Instant.parse("2030-01-06T12:00:00Z"));
        assertThat(ticks("0 12 * * MON-FRI", UTC, "2030-01-04T13:00:00Z", 1)).containsExactly(Instant.parse("2030-01-07T12:00:00Z"));
    }

    @Test
    void theNextTickIsStrictlyAfterTheGivenTime() {
        assertThat(ticks("0 3 * * *", UTC, "2030-01-01T03:00:00Z", 1)).containsExactly(Instant.parse("2030-01-02T03:00:00Z"));
    }

    @Test
    void aZoneShiftsTheTicks() {
        assertThat(ticks("0 3 * * *", BERLIN, "2030-01-10T00:00:00Z", 1)).containsExactly(Instant.parse("2030-01-10T02:00:00Z"));
        assertThat(ticks("0 3 * * *", BERLIN, "2030-07-10T00:00:00Z", 1)).containsExactly(Instant.parse("2030-07-10T01:00:00Z"));
    }

    @Test
    void acrossTheSpringForwardChangeANightlyTickKeepsItsWallClockTime() {
        // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST
        assertThat(ticks("0 3 * * *", BERLIN, "2026-03-27T12:00:00Z", 3)).containsExactly(
                Instant.parse("2026-03-28T02:00:00Z"),  // 03:00 CET
                Instant.parse("2026-03-29T01:00:00Z"),  // 03:00 CEST, the first hour after the change
                Instant.parse("2026-03-30T01:00:00Z"));
        // a time inside the skipped hour does not exist that night and does not fire
        assertThat(ticks("30 2 * * *", BERLIN, "2026-03-27T12:00:00Z", 3)).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"), Instant.parse("2026-03-31T00:30:00Z"));
        // an hourly schedule fires 23 times that day
        List<Instant> hourly = ticks("0 * * * *", BERLIN, "2026-03-28T22:59:00Z", 24);
        assertThat(hourly.stream().filter(t -> t.isBefore(Instant.parse("2026-03-29T22:00:00Z")))).hasSize(23);
    }

    @Test
    void acrossTheFallBackChangeATimeInTheRepeatedHourFiresOnce() {
        // Europe/Berlin, 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice
        assertThat(ticks("30 2 * * *", BERLIN, "2026-10-24T12:00:00Z", 3)).containsExactly(
                Instant.parse("2026-10-25T00:30:00Z"),  // 02:30 CEST, the first of the two
                Instant.parse("2026-10-26T01:30:00Z"),  // 02:30 CET the next night
                Instant.parse("2026-10-27T01:30:00Z"));
        assertThat(ticks("0 3 * * *", BERLIN, "2026-10-24T12:00:00Z", 2)).containsExactly(
                Instant.parse("2026-10-25T02:00:00Z"), Instant.parse("2026-10-26T02:00:00Z"));
        // an hourly schedule fires in both 02:00 hours: 25 ticks that day
        List<Instant> hourly = ticks("0 * * * *", BERLIN, "2026-10-24T21:59:00Z", 26);
        assertThat(hourly.stream().filter(t -> t.isBefore(Instant.parse("2026-10-25T23:00:00Z")))).hasSize(25);
    }

    @Test
    void badExpressionsAreRejectedWithWhatIsWrong() {
        assertThatThrownBy(() -> CronExpression.parse("0 3 * *")).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("'cron'").hasMessageContaining("found 4");
        assertThatThrownBy(() -> CronExpression.parse("0 61 * * *")).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("61");
        assertThatThrownBy(() -> CronExpression.parse("")).isInstanceOf(InvalidScheduleException.class).hasMessageContaining("'cron': ''");
        assertThatThrownBy(() -> CronExpression.parse("a b c d e")).isInstanceOf(InvalidScheduleException.class);
    }

    @Test
    void extraSpacesDoNotMatter() {
        assertThat(CronExpression.parse("  0  3 * * * ")).isEqualTo(CronExpression.parse("0 3 * * *"));
        assertThat(CronExpression.parse("0 3 * * *").toString()).isEqualTo("0 3 * * *");
    }
}
