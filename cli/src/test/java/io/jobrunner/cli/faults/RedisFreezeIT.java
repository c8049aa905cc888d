package io.jobrunner.cli.faults;

import io.jobrunner.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis frozen (SIGSTOP) for 20 s mid-drain, far longer than the 3 s claim TTL: every call times out, the runner
 * fences the runs still going (cancels them before their claims can expire; {@code FencingIT} shows it for one
 * long run), the daemons stay up, and after SIGCONT the chron recycles the expired claims. No job is lost; the jobs run twice are at most those the runner held.
 */
@Timeout(120)
class RedisFreezeIT {

    private static final int JOBS = 300;
    private static final int SLOTS = 8;
    private static final int CLAIM_BATCH = 16;

    @TempDir
    Path dir;

    @Test
    void aTwentySecondFreezeLosesNothing() throws Exception {
        try (FaultRig rig = new FaultRig(dir)) {
            rig.redis().start();
            rig.push(JOBS, 100);
            ChildJvm runner = rig.startRunner("runner", SLOTS);
            ChildJvm chron = rig.startChron("chron");
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.runs() >= 60 || !runner.isAlive());

            rig.redis().freeze();
            try {
                await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30)).until(() -> true); // frozen 20 s
                assertThat(runner.isAlive()).as(rig.outputs()).isTrue();
                assertThat(chron.isAlive()).as(rig.outputs()).isTrue();
            } finally {
                rig.redis().thaw();
            }
            long thawedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(rig::drained);
            long recoveredMs = (System.nanoTime() - thawedAt) / 1_000_000;
            assertThat(rig.neverRan()).as("jobs lost").isEmpty();
            long duplicates = rig.duplicates();
            System.out.printf("FAULT redis-sigstop-20s: jobs=%d lost=0 duplicates=%d drained %d ms after SIGCONT%n", JOBS, duplicates, recoveredMs);
            assertThat(duplicates).as("at most what the runner held").isLessThanOrEqualTo((long) SLOTS * CLAIM_BATCH);
        }
    }
}
