package io.jobrunner.cli.faults;

import io.jobrunner.cli.CliEnvironment;
import io.jobrunner.cli.Main;
import io.jobrunner.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis killed with SIGKILL mid-drain, down for 30 s, then started again from its append-only file
 * ({@code appendfsync everysec}): the daemons stay up and recover alone; a push meanwhile fails fast with exit 1.
 * No job is lost. Jobs run twice: those whose ack landed in the last second before the kill (Redis had not written
 * it to disk yet) and those running or buffered when the outage passed their claim TTL (fenced, then recycled).
 */
@Timeout(150)
class RedisOutageIT {

    private static final int JOBS = 1000;
    private static final int SLOTS = 8;
    private static final int CLAIM_BATCH = 16;

    @TempDir
    Path dir;

    @Test
    void daemonsOutliveThirtySecondsWithoutRedisAndLoseNothing() throws Exception {
        try (FaultRig rig = new FaultRig(dir, "--appendonly", "yes", "--appendfsync", "everysec")) {
            rig.redis().start();
            rig.push(JOBS, 30);
            ChildJvm runner = rig.startRunner("runner", SLOTS);
            ChildJvm chron = rig.startChron("chron");
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.runsPerJob().size() >= JOBS / 4 || !runner.isAlive());
            int before = rig.runsPerJob().values().stream().mapToInt(Integer::intValue).sum();
            Thread.sleep(2_000); // Redis's own fsync interval (everysec): runs before this window are on disk
            int atKill = rig.runsPerJob().values().stream().mapToInt(Integer::intValue).sum();

            rig.redis().kill9();
            long killedAt = System.nanoTime();
            StringWriter err = new StringWriter();
            int pushExit = Main.execute(CliEnvironment.inProcess(Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(err),
                    new ByteArrayInputStream(new byte[0]), false, dir), "push", FaultRig.QUEUE.type(), "--redis", rig.redis().uri());
            assertThat(pushExit).as(err.toString()).isEqualTo(1);
            assertThat(err.toString()).contains("127.0.0.1:" + rig.redis().port());
            await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40)).until(() -> true); // Redis stays down 30 s
            assertThat(runner.isAlive()).as(rig.outputs()).isTrue();
            assertThat(chron.isAlive()).as(rig.outputs()).isTrue();

            rig.redis().start();
            long restartedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(rig::drained);
            long recoveredMs = (System.nanoTime() - restartedAt) / 1_000_000;
            assertThat(rig.neverRan()).as("jobs lost").isEmpty();
            long duplicates = rig.duplicates();
            long bound = (atKill - before) + (long) SLOTS * CLAIM_BATCH;
            System.out.printf("FAULT redis-kill-9-down-30s-aof-restart: jobs=%d lost=0 duplicates=%d (bound %d) drained %d ms after"
                    + " the restart (%d ms after the kill)%n", JOBS, duplicates, bound, recoveredMs, (System.nanoTime() - killedAt) / 1_000_000);
            assertThat(duplicates).as("acks of the last fsync interval plus what the runner held").isLessThanOrEqualTo(bound);
        }
    }
}
