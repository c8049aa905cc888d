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
 * kill -9 of one of two runners while thousands of jobs are in flight: the chron recycles the dead runner's claims
 * after their TTL and the other runner runs them. No job is lost; the jobs run twice are at most those the dead
 * runner held (running or buffered: slots times claim-batch).
 */
@Timeout(120)
class RunnerKillIT {

    private static final int JOBS = 2000;
    private static final int SLOTS = 8;
    private static final int CLAIM_BATCH = 16;

    @TempDir
    Path dir;

    @Test
    void theSurvivorRunsEveryJobOfTheKilledRunner() throws Exception {
        try (FaultRig rig = new FaultRig(dir)) {
            rig.redis().start();
            rig.push(JOBS, 10);
            ChildJvm doomed = rig.startRunner("runner-a", SLOTS);
            rig.startRunner("runner-b", SLOTS);
            rig.startChron("chron");
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.runs() >= 200 || !doomed.isAlive());
            assertThat(doomed.isAlive()).as(rig.outputs()).isTrue();

            doomed.process().destroyForcibly().waitFor();
            long killedAt = System.nanoTime();

            await().atMost(Duration.ofSeconds(60)).until(rig::drained);
            long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(rig.neverRan()).as("jobs lost").isEmpty();
            long duplicates = rig.duplicates();
            System.out.printf("FAULT runner-kill-9: jobs=%d lost=0 duplicates=%d drained %d ms after the kill%n", JOBS, duplicates, recoveredMs);
            assertThat(duplicates).as("at most what the dead runner held").isLessThanOrEqualTo((long) SLOTS * CLAIM_BATCH);
        }
    }
}
