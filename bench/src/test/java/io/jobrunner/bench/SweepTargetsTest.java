package io.jobrunner.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SweepTargetsTest {

    @Test
    void redisCpuPerJobWithinOnePointThreeOfTheLowest() {
        TargetResult met = SweepTargets.cpuSpread(Map.of(1, 26.0, 8, 21.0, 64, 20.0, 128, 25.9));
        assertThat(met.met()).isTrue();
        assertThat(met.measured()).startsWith("1.30x: highest 26.0 µs/job at 1 slots, lowest 20.0 µs/job at 64 slots");
        TargetResult missed = SweepTargets.cpuSpread(Map.of(1, 44.0, 8, 20.6, 64, 27.9));
        assertThat(missed.met()).isFalse();
        assertThat(missed.measured()).startsWith("2.14x");
    }

    @Test
    void cpuSpreadNeedsTwoSlotCounts() {
        assertThat(SweepTargets.cpuSpread(Map.of()).met()).isNull();
        assertThat(SweepTargets.cpuSpread(Map.of(8, 20.0)).measured()).isEqualTo("one slot count only");
    }

    @Test
    void throughputMayDipWithinTheNoiseMarginOnly() {
        TargetResult rising = SweepTargets.neverFalls(Map.of(1, 10_000.0, 2, 19_000.0, 4, 30_000.0, 64, 50_000.0));
        assertThat(rising.met()).isTrue();
        assertThat(rising.measured()).startsWith("rises at every step");
        TargetResult dip = SweepTargets.neverFalls(Map.of(1, 10_000.0, 8, 50_000.0, 16, 48_000.0, 64, 49_000.0));
        assertThat(dip.met()).as("96% of the best so far is within 5%").isTrue();
        assertThat(dip.measured()).startsWith("lowest step: 16 slots at 96% of 8 slots");
    }

    @Test
    void aSlowDriftDownIsMeasuredAgainstTheBestSoFarNotTheStepBefore() {
        TargetResult drift = SweepTargets.neverFalls(Map.of(1, 100_000.0, 2, 97_000.0, 4, 94_000.0, 8, 91_000.0));
        assertThat(drift.met()).isFalse();
        assertThat(drift.measured()).startsWith("lowest step: 8 slots at 91% of 1 slots");
    }

    @Test
    void slotCountsAbove64AreLeftOut() {
        TargetResult r = SweepTargets.neverFalls(Map.of(1, 10_000.0, 64, 50_000.0, 128, 20_000.0));
        assertThat(r.met()).isTrue();
        assertThat(r.measured()).doesNotContain("128");
        assertThat(SweepTargets.neverFalls(Map.of(128, 1.0, 256, 2.0)).met()).isNull();
    }
}
