package io.jobrunner.cli.faults;

import io.jobrunner.client.ErrorCode;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobState;
import io.jobrunner.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Redis at {@code maxmemory} ({@code noeviction}) while jobs longer than the claim TTL run, and their runner killed
 * -9 during the episode, with real runner and chron processes:
 * <ol>
 *   <li>heartbeats land: the running jobs keep their claims past the TTL (none goes back to ready);</li>
 *   <li>a push fails at once with {@code REDIS_OUT_OF_MEMORY}, and the runner's {@code /status} says Redis refuses
 *       writes for memory;</li>
 *   <li>the killed runner's claims come back (the chron recycles at maxmemory), a runner started during the episode
 *       runs them and its acks land, so the queue drains while Redis is still full.</li>
 * </ol>
 * Bound: 0 jobs lost; the jobs run twice are exactly those the killed runner was running, each at most twice.
 */
@Timeout(120)
class MemoryPressureFaultIT {

    private static final int JOBS = 6;
    /** Longer than the claim TTL, and than the time until the kill: only heartbeats keep the claims that long. */
    private static final long JOB_MS = 9_000;
    private static final long CLAIM_TTL_MS = Duration.parse("PT" + FaultRig.CLAIM_TTL.toUpperCase()).toMillis();

    @TempDir
    Path dir;

    @Test
    void deliveryGoesOnWhileRedisRefusesWritesForMemory() throws Exception {
        try (FaultRig rig = new FaultRig(dir, "--maxmemory-policy", "noeviction")) {
            rig.redis().start();
            rig.push(JOBS, JOB_MS);
            ChildJvm doomed = rig.startRunner("runner-a", JOBS);
            rig.startChron("chron");
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.runs() >= JOBS || !doomed.isAlive());
            assertThat(doomed.isAlive()).as(rig.outputs()).isTrue();

            rig.client().redis().configSet("maxmemory", "1");
            try {
                Throwable refused = catchThrowable(() -> rig.push(1, 0));
                assertThat(refused).isInstanceOfSatisfying(JobQueueException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REDIS_OUT_OF_MEMORY));

                Thread.sleep(CLAIM_TTL_MS + 1000); // without heartbeats the chron would recycle the claims by now
                List<String> held = rig.client().inspector().list(FaultRig.QUEUE, JobState.CLAIMED, JOBS + 1).stream()
                        .map(JobInfo::id).toList();
                assertThat(held).as("heartbeats land at maxmemory: runner-a still holds every claim%s", rig.outputs()).hasSize(JOBS);
                assertThat(rig.client().inspector().counts(FaultRig.QUEUE).ready()).isZero();

                doomed.process().destroyForcibly().waitFor();
                long killedAt = System.nanoTime();
                ChildJvm survivor = rig.startRunner("runner-b", JOBS); // a runner started while Redis is full
                await().atMost(Duration.ofSeconds(60)).until(rig::drained);
                long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
                int port = FaultRig.httpPort(survivor, "runner");
                assertThat(FaultRig.httpGet(port, "/status")).as("the runner says why its writes fail")
                        .contains("\"refusingWritesForMemory\" : true");
                assertThat(rig.client().redis().configGet("maxmemory")).as("Redis was full throughout").containsEntry("maxmemory", "1");

                assertThat(rig.neverRan()).as("jobs lost").isEmpty();
                Map<String, Integer> runs = rig.runsPerJob();
                assertThat(runs).as("the jobs the killed runner held ran once more, on runner-b; none a third time")
                        .allSatisfy((id, n) -> assertThat(n).isEqualTo(held.contains(id) ? 2 : 1));
                System.out.printf("FAULT redis-maxmemory: jobs=%d (%d ms each) lost=0 duplicates=%d (the killed runner's) "
                        + "drained %d ms after the kill, Redis full throughout%n", JOBS, JOB_MS, rig.duplicates(), recoveredMs);
            } finally {
                rig.client().redis().configSet("maxmemory", "0");
            }
            assertThat(rig.push(1, 0)).as("pushes work again once memory is freed").hasSize(1);
        }
    }
}
