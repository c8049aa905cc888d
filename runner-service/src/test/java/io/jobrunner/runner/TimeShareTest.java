package io.jobrunner.runner;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The time-share arithmetic, driven with synthetic times (no threads, no clock). */
class TimeShareTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void countsFinishedAndRunningTimeInTheWindow() {
        TimeShare share = new TimeShare(1000 * MS, 0.8, 2);
        share.started(0, JobClass.HIGH, 0, 0);
        share.finished(0, 300 * MS);
        share.started(1, JobClass.LOW, 300 * MS, 0);
        // at 400 ms: 300 ms high finished, 100 ms low still running
        assertThat(share.highShare(400 * MS)).isCloseTo(0.75, within(0.01));
        // the running low job keeps counting
        assertThat(share.highShare(600 * MS)).isCloseTo(0.5, within(0.01));
        assertThat(share.utilisation(600 * MS)).isCloseTo(600.0 / 2000, within(0.05));
    }

    @Test
    void oldTimeLeavesTheWindow() {
        TimeShare share = new TimeShare(1000 * MS, 0.8, 1);
        share.started(0, JobClass.LOW, 0, 0);
        share.finished(0, 500 * MS);
        share.started(0, JobClass.HIGH, 500 * MS, 0);
        share.finished(0, 600 * MS);
        assertThat(share.highShare(600 * MS)).isCloseTo(100.0 / 600, within(0.02));
        assertThat(share.highShare(1550 * MS)).isCloseTo(1.0, within(0.01));
        assertThat(share.highShare(5000 * MS)).isNull();
    }

    @Test
    void prefersTheClassBelowItsTarget() {
        TimeShare share = new TimeShare(1000 * MS, 0.8, 1);
        assertThat(share.preferred(0)).isEqualTo(JobClass.HIGH); // nothing measured yet
        share.started(0, JobClass.HIGH, 0, 0);
        share.finished(0, 100 * MS);
        assertThat(share.preferred(100 * MS)).isEqualTo(JobClass.LOW);
        share.started(0, JobClass.LOW, 100 * MS, 0);
        assertThat(share.preferred(110 * MS)).isEqualTo(JobClass.LOW);   // 100/110 still above 0.8
        assertThat(share.preferred(130 * MS)).isEqualTo(JobClass.HIGH);  // 100/130 below 0.8, low still running
        assertThat(new TimeShare(1000 * MS, 1.0, 1).preferred(0)).isEqualTo(JobClass.HIGH);
        assertThat(new TimeShare(1000 * MS, 0.0, 1).preferred(0)).isEqualTo(JobClass.LOW);
    }

    @Test
    void aRunningJobCountsItsExpectedTimeInTheDecisionOnly() {
        TimeShare share = new TimeShare(1000 * MS, 0.8, 2);
        share.started(0, JobClass.HIGH, 0, 0);
        share.finished(0, 100 * MS);
        share.started(1, JobClass.LOW, 100 * MS, 50 * MS); // expected to take 50 ms
        // 1 ms into it: measured 100/101 high, but the decision counts the low job's 50 ms: 100/150 < 0.8
        assertThat(share.highShare(101 * MS)).isCloseTo(100.0 / 101, within(0.01));
        assertThat(share.preferred(101 * MS)).isEqualTo(JobClass.HIGH);
    }

    @Test
    void aSimulatedBackloggedGroupConvergesToItsTargetWithLongLowJobs() {
        int slots = 4;
        TimeShare share = new TimeShare(2000 * MS, 0.8, slots);
        long[] endsAt = new long[slots];
        JobClass[] running = new JobClass[slots];
        double high = 0;
        double low = 0;
        for (long now = 0; now < 20_000 * MS; now += MS / 4) {
            for (int s = 0; s < slots; s++) {
                if (running[s] != null && endsAt[s] <= now) {
                    share.finished(s, now);
                    running[s] = null;
                }
                if (running[s] == null) {
                    JobClass c = share.preferred(now);
                    long length = c == JobClass.HIGH ? 5 * MS : 50 * MS;
                    share.started(s, c, now, length);
                    running[s] = c;
                    endsAt[s] = now + length;
                    if (now > 2000 * MS) {
                        if (c == JobClass.HIGH) {
                            high += length;
                        } else {
                            low += length;
                        }
                    }
                }
            }
        }
        assertThat(high / (high + low)).isBetween(0.79, 0.81);
        assertThat(share.highShare(20_000 * MS)).isBetween(0.75, 0.85);
    }
}
