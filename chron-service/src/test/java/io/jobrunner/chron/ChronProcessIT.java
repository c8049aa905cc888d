package io.jobrunner.chron;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.testing.ChildJvm;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The chron as a real separate JVM process ({@link ChronMain}): killed, and stopped with SIGTERM. */
@ExtendWith(RedisExtension.class)
class ChronProcessIT {

    @TempDir
    Path dir;

    private ChildJvm child;
    private Chron inProcess;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (child != null) {
            child.close();
        }
        if (inProcess != null) {
            inProcess.stop();
        }
    }

    @Test
    void whenTheLeaderProcessIsKilledTheStandbyTakesOver(TestRedis redis) throws Exception {
        JobRunnerClient observer = redis.client();
        String key = observer.keys().chronLease();
        child = startChron(redis);
        await().atMost(Duration.ofSeconds(30)).until(() -> observer.redis().get(key) != null || !child.isAlive());
        assertThat(child.isAlive()).as(child.output()).isTrue();
        String childToken = observer.redis().get(key);

        inProcess = TestConfigs.chron(redis.client(), "lease-ttl = 1s", "interval = 100ms");
        inProcess.start();
        await("the child leads; this one stands by").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> !inProcess.isLeader());

        child.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no release
        long killedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(4)).until(inProcess::isLeader);
        System.out.printf("takeover after the leader process was killed: %d ms (lease-ttl 1s)%n", (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(observer.redis().get(key)).isNotEqualTo(childToken).isEqualTo(inProcess.leaseToken());
    }

    @Test
    void sigtermStopsGracefullyAndReleasesTheLease(TestRedis redis) throws Exception {
        JobRunnerClient observer = redis.client();
        String key = observer.keys().chronLease();
        child = startChron(redis);
        await().atMost(Duration.ofSeconds(30)).until(() -> observer.redis().get(key) != null || !child.isAlive());
        assertThat(child.isAlive()).as(child.output()).isTrue();

        child.process().destroy(); // SIGTERM
        assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).as(child.output()).isTrue();

        assertThat(child.process().exitValue()).as(child.output()).isZero();
        assertThat(observer.redis().get(key)).as("released, not left to expire").isNull();
        assertThat(child.output()).contains("chron stopped");
    }

    private ChildJvm startChron(TestRedis redis) throws IOException {
        Path conf = dir.resolve("chron.conf");
        Files.writeString(conf, String.join("\n",
                "jobrunner.redis { uri = \"" + redis.uri() + "\", prefix = \"" + redis.prefix() + "\" }",
                "jobrunner.chron { lease-ttl = 1s, interval = 100ms, http { port = 0 } }", ""));
        return ChildJvm.start(dir, "chron", ChronMain.class, "--config", conf.toString());
    }

}
