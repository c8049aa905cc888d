package io.jobrunner.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SlowCommandsTest {

    /** SLOWLOG GET entries, newest first: id, time, duration (µs), arguments, client, name. */
    private static final List<Object> SLOWLOG = List.of(
            List.of(12L, 1700000003L, 450L, List.of("EVALSHA", "ab12cd", "7"), "127.0.0.1:5000", ""),
            List.of(11L, 1700000002L, 9200L, List.of("EVALSHA", "ef34ab", "7"), "127.0.0.1:5000", ""),
            List.of(10L, 1700000001L, 20000L, List.of("KEYS", "*"), "127.0.0.1:5001", ""));

    @Test
    void longestIsTheSlowestEntryAfterTheWindowsStartNamedByItsScript() {
        SlowCommands.Longest longest = SlowCommands.longest(SLOWLOG, 10, Map.of("ef34ab", "prune"));
        assertThat(longest.micros()).isEqualTo(9200);
        assertThat(longest.millis()).isEqualTo(9.2);
        assertThat(longest.command()).isEqualTo("evalsha prune");
        assertThat(longest.entries()).isEqualTo(2);
    }

    @Test
    void everyEntryCountsFromTheStartAndUnknownShasAreShownCut() {
        SlowCommands.Longest longest = SlowCommands.longest(List.of(
                List.of(3L, 1L, 700L, List.of("EVALSHA", "0123456789abcdef0123456789abcdef"), "", ""),
                List.of(2L, 1L, 300L, List.of("PING"), "", "")), -1, Map.of());
        assertThat(longest.command()).isEqualTo("evalsha 0123456789abcdef01234567...");
        assertThat(longest.entries()).isEqualTo(2);
    }

    @Test
    void anEmptyWindowHasNoLongestCommand() {
        SlowCommands.Longest none = SlowCommands.longest(List.of(), -1, Map.of());
        assertThat(none.micros()).isZero();
        assertThat(none.entries()).isZero();
        assertThat(none.toString()).contains("no command over");
    }

    @Test
    void latencyTakesTheCommandEventsMax() {
        List<Object> latest = List.of(List.of("command", 1700000000L, 3L, 14L), List.of("fast-command", 1700000000L, 1L, 2L),
                List.of("expire-cycle", 1700000000L, 30L, 30L));
        assertThat(SlowCommands.longestLatencyEvent(latest)).isEqualTo(14.0);
        assertThat(SlowCommands.longestLatencyEvent(List.of())).isZero();
    }
}
