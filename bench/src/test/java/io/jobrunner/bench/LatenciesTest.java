package io.jobrunner.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTest {

    @Test
    void percentilesUseNearestRank() {
        Latencies l = new Latencies(1000);
        for (int i = 1000; i >= 1; i--) {
            l.record(i * 1_000L);
        }
        long[] sorted = l.sorted();
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(500_000);
        assertThat(Latencies.percentile(sorted, 99)).isEqualTo(990_000);
        assertThat(Latencies.percentile(sorted, 99.9)).isEqualTo(999_000);
        assertThat(Latencies.percentile(sorted, 100)).isEqualTo(1_000_000);
        assertThat(Latencies.percentileMillis(sorted, 50)).isEqualTo(0.5);
    }

    @Test
    void samplesBeyondTheCapacityAreCountedNotKept() {
        Latencies l = new Latencies(2);
        l.record(5);
        l.record(1);
        l.record(9);
        assertThat(l.count()).isEqualTo(2);
        assertThat(l.offered()).isEqualTo(3);
        assertThat(l.sorted()).containsExactly(1, 5);
    }

    @Test
    void emptyGivesNaN() {
        assertThat(Latencies.percentile(new long[0], 50)).isNaN();
    }
}
