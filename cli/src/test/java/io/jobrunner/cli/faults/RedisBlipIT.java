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
 * A blip far shorter than the claim TTL (Redis killed and started again a second later from an append-only file
 * written on every command, so Redis itself loses nothing): the acks and releases that fail meanwhile are tried
 * again while their claims are ours, and the heartbeats go on, so no job runs twice.
 */
@Timeout(90)
class RedisBlipIT {

    private static final int JOBS = 300;

    @TempDir
    Path dir;

    @Test
    void acksThatFailDuringABlipAreRetriedAndNoJobRunsTwice() throws Exception {
        try (FaultRig rig = new FaultRig(dir, "--appendonly", "yes", "--appendfsync", "always").claimTtl("6s")) {
            rig.redis().start();
            rig.push(JOBS, 40);
            ChildJvm runner = rig.startRunner("runner", 8);
            rig.startChron("chron");
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.runsPerJob().size() >= JOBS / 4 || !runner.isAlive());

            rig.redis().kill9();
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true); // down for a second
            rig.redis().start();
            long restartedAt = System.nanoTime();

            await().atMost(Duration.ofSeconds(60)).until(rig::drained);
            long ms = (System.nanoTime() - restartedAt) / 1_000_000;
            assertThat(rig.neverRan()).as("jobs lost").isEmpty();
            assertThat(rig.duplicates()).as(rig.outputs()).isZero();
            assertThat(runner.output()).contains("trying again while");
            System.out.printf("FAULT redis-blip-1s: jobs=%d lost=0 duplicates=0 drained %d ms after the restart%n", JOBS, ms);
        }
    }
}
