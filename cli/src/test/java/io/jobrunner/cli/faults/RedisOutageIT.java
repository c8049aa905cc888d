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
 * Redis not there yet, then killed with SIGKILL mid-drain and down for 30 s, then started again from its append-only
 * file ({@code appendfsync everysec}).
 * <ol>
 *   <li>runner and chron started before Redis (a compose or Kubernetes start order) wait, say so in the log (one
 *       line per interval, not per attempt), on {@code /status} and {@code /readyz} (while {@code /livez} stays ok), and start working when it comes;</li>
 *   <li>during the outage they stay up; a push meanwhile fails fast with exit 1;</li>
 *   <li>after the restart they recover alone. No job is lost. Jobs run twice: those whose ack landed in the last
 *       second before the kill (Redis had not written it to disk yet) and those running or buffered when the outage
 *       passed their claim TTL (fenced, then recycled).</li>
 * </ol>
 */
@Timeout(150)
class RedisOutageIT {

    private static final int JOBS = 600;
    private static final int SLOTS = 8;
    private static final int CLAIM_BATCH = 16;

    @TempDir
    Path dir;

    @Test
    void daemonsWaitForRedisThenOutliveThirtySecondsWithoutItAndLoseNothing() throws Exception {
        try (FaultRig rig = new FaultRig(dir, "--appendonly", "yes", "--appendfsync", "everysec")) {
            ChildJvm runner = rig.startRunner("runner", SLOTS);
            ChildJvm chron = rig.startChron("chron");
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.output().contains("waiting for Redis")
                    && chron.output().contains("waiting for Redis") && FaultRig.httpPort(runner, "runner") > 0 || !runner.isAlive());
            assertThat(runner.isAlive()).as(rig.outputs()).isTrue();
            int waitingPort = FaultRig.httpPort(runner, "runner");
            assertThat(FaultRig.httpGet(waitingPort, "/status")).contains("waiting-for-redis").contains(rig.redis().uri())
                    .contains("Connection refused");
            // live (the process works and waits) but not ready, saying why
            assertThat(FaultRig.httpGet(waitingPort, "/livez")).contains("\"status\" : \"ok\"");
            assertThat(FaultRig.httpGet(waitingPort, "/readyz")).contains("\"status\" : \"failing\"").contains("waiting for Redis");
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true); // several tries, 500 ms apart at most
            assertThat(count(runner.output(), "waiting for Redis")).as("one log line per 5 s interval, not per try").isLessThanOrEqualTo(2);

            long redisAt = System.nanoTime();
            rig.redis().start();
            rig.push(JOBS, 30);
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.runs() >= 100 || !runner.isAlive());
            long firstRunsMs = (System.nanoTime() - redisAt) / 1_000_000;
            int before = rig.runs();
            Thread.sleep(2_000); // Redis's own fsync interval (everysec): runs before this window are on disk
            int atKill = rig.runs();

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
            System.out.printf("FAULT daemons-before-redis: first 100 runs %d ms after Redis started%n", firstRunsMs);
            System.out.printf("FAULT redis-kill-9-down-30s-aof-restart: jobs=%d lost=0 duplicates=%d (bound %d) drained %d ms after"
                    + " the restart (%d ms after the kill)%n", JOBS, duplicates, bound, recoveredMs, (System.nanoTime() - killedAt) / 1_000_000);
            assertThat(duplicates).as("acks of the last fsync interval plus what the runner held").isLessThanOrEqualTo(bound);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
