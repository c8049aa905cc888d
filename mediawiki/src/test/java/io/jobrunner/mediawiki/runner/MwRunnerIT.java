package io.jobrunner.mediawiki.runner;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.mediawiki.MediaWikiState;
import io.jobrunner.mediawiki.MwReadyMap;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.mediawiki.RegistryCounts;
import io.jobrunner.mediawiki.chron.MwChron;
import io.jobrunner.runner.RunnerSettings;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runner in MediaWiki mode against a real Redis, with {@link FakeRunJobs} as its runJobs.php and the real
 * MediaWiki-mode chron keeping the ready map.
 */
class MwRunnerIT {

    static RunningRedis server;
    static RedisClient client;
    static StatefulRedisConnection<String, String> connection;
    static int port;
    RedisCommands<String, String> redis;
    MetricRegistry metrics;
    MwChron chron;
    MwRunner runner;

    @BeforeAll
    static void startRedis() {
        server = RedisServers.startDedicated();
        client = RedisClient.create(server.uri());
        connection = client.connect();
        port = RedisURI.create(server.uri()).getPort();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown();
        server.close();
    }

    @BeforeEach
    void clean() {
        redis = connection.sync();
        redis.flushall();
        metrics = new MetricRegistry();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (runner != null) {
            runner.stop();
        }
        if (chron != null) {
            chron.stop();
        }
    }

    static Config config(String extra) throws Exception {
        Path classes = Path.of(FakeRunJobs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String hocon = """
                jobrunner {
                  mode = mediawiki
                  redis.uri = "redis://127.0.0.1:%d"
                  runner { groups.basic { slots = 2, types = ["*"] }, refresh-interval = 100ms, share-window = 1m, shutdown-grace = 10s
                           http.enabled = false, jmx.enabled = false }
                  chron { interval = 200ms, prune-interval = 1s, http.enabled = false }
                  mediawiki {
                    dispatch { argv = ["%s", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", "%s", "%s", "--port=%d", "--wiki={wiki}",
                                       "--type={type}", "--maxtime={maxtime}"]
                               maxtime { high = 1s, low = 1s }, stop-grace = 1s }
                    limits { process-timeout { "*" = 3s }, claim-ttl { "*" = 5s } }
                    backoff { error { initial = 1s, max = 4s }, misrouted = 1m }
                  }
                }
                """.formatted(port, java, classes, FakeRunJobs.class.getName(), port);
        return ConfigLoader.fromUserConfig(ConfigFactory.parseString(extra).withFallback(ConfigFactory.parseString(hocon)), Map.of());
    }

    void start(String extra, boolean withChron) throws Exception {
        Config config = config(extra);
        MwSettings settings = MwSettings.from(config);
        if (withChron) {
            chron = new MwChron(settings, ChronSettings.from(config), 500, new MetricRegistry(), Clock.systemUTC());
            chron.start();
        }
        runner = new MwRunner(settings, RunnerSettings.from(config), metrics, Clock.systemUTC());
        runner.start();
    }

    MediaWikiState queue(String type, String wiki) {
        return new MediaWikiState(redis, type, wiki);
    }

    /** Jobs of the type the batches reported as ok. */
    long succeeded(String type) {
        return RegistryCounts.sum(metrics, MwRunnerMetrics.JOBS_SUCCEEDED, "type", type);
    }

    /** Batches (or picks) of the type with the outcome. */
    long batches(String type, String outcome) {
        return RegistryCounts.sum(metrics, MwRunnerMetrics.BATCHES, "type", type, "outcome", outcome);
    }

    @Test
    void everyQueueOfEveryWikiDrains() throws Exception {
        MediaWikiState a = queue("typeX", "wikia");
        MediaWikiState b = queue("typeX", "wikib");
        MediaWikiState c = queue("typeY", "wikia");
        for (int i = 0; i < 3; i++) {
            a.push("a" + i, "10 ok");
            b.push("b" + i, "10 ok");
            c.push("c" + i, "10 ok");
        }
        start("", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.exists(a.key("h-data"), b.key("h-data"), c.key("h-data")) == 0);
        assertThat(succeeded("typeX")).isEqualTo(6);
        assertThat(succeeded("typeY")).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.smembers(MediaWikiState.QUEUES).isEmpty());
    }

    @Test
    void aTypeCapHoldsAcrossWikis() throws Exception {
        for (String wiki : new String[]{"w1", "w2", "w3"}) {
            MediaWikiState q = queue("capped", wiki);
            q.push(wiki + "-1", "300 ok");
            q.push(wiki + "-2", "300 ok");
        }
        start("jobrunner.runner { groups.basic.slots = 3, concurrency.per-type { capped = 1 } }", true);
        await().atMost(Duration.ofSeconds(40)).until(() -> succeeded("capped") == 6);
        assertThat(redis.get("fake:max:capped")).isEqualTo("1");
    }

    @Test
    void aTypeTheWikiDoesNotKnowIsBackedOffAndItsJobsWait() throws Exception {
        MediaWikiState q = queue("noSuchType", "wikia");
        q.push("j1", "10 ok");
        start("jobrunner.mediawiki.dispatch.env { FAKE_MODE = none-possible }", true);
        await().atMost(Duration.ofSeconds(15)).until(() -> batches("noSuchType", "none-possible") == 1);
        Thread.sleep(2000);
        assertThat(batches("noSuchType", "none-possible")).as("backed off, not retried").isEqualTo(1);
        assertThat(redis.llen(q.key("l-unclaimed"))).as("never lost").isEqualTo(1);
    }

    @Test
    void aFailingBatchIsBackedOffExponentially() throws Exception {
        queue("broken", "wikia").push("j1", "10 ok");
        start("jobrunner.mediawiki.dispatch.env { FAKE_MODE = exit1 }", true);
        await().atMost(Duration.ofSeconds(15)).until(() -> batches("broken", "error") >= 1);
        Thread.sleep(4000);
        long starts = Long.parseLong(redis.get("fake:starts"));
        assertThat(starts).as("1 s, 2 s, 4 s apart: no respawn loop").isBetween(2L, 4L);
        assertThat(batches("broken", "error")).isEqualTo(starts);
    }

    @Test
    void aBatchPastItsProcessTimeoutIsKilledWithItsChildren() throws Exception {
        MediaWikiState q = queue("slow", "wikia");
        q.push("j1", "60000 ok grandchild");
        start("", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> batches("slow", "timeout") == 1);
        long grandchild = Long.parseLong(redis.get("fake:grandchild"));
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(grandchild).map(h -> !h.isAlive()).orElse(true));
        assertThat(redis.zcard(q.key("z-claimed"))).as("the job stays claimed for the chron").isEqualTo(1);
    }

    @Test
    void stopWaitsForRunningBatches() throws Exception {
        MediaWikiState q = queue("steady", "wikia");
        q.push("j1", "1500 ok");
        start("", true);
        await().atMost(Duration.ofSeconds(15)).until(() -> redis.zcard(q.key("z-claimed")) == 1);
        long t0 = System.nanoTime();
        runner.stop();
        runner = null;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(redis.hexists(q.key("h-data"), "j1")).as("the batch finished and MediaWiki acked the job").isFalse();
        assertThat(succeeded("steady")).isEqualTo(1);
    }

    @Test
    void aBatchThatNeverFindsTheReadyJobsIsReportedMisroutedAndBackedOff() throws Exception {
        MediaWikiState q = queue("lost", "wikia");
        q.push("j1", "10 ok");
        start("jobrunner.mediawiki.dispatch.env { FAKE_MODE = misrouted }", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> batches("lost", "misrouted") == 1);
        long starts = Long.parseLong(redis.get("fake:starts"));
        Thread.sleep(2000);
        assertThat(Long.parseLong(redis.get("fake:starts"))).as("backed off for a minute").isEqualTo(starts);
        assertThat(redis.llen(q.key("l-unclaimed"))).isEqualTo(1);
    }

    @Test
    void aBatchWhoseJobsAnotherRunnerTookFirstIsNotMisrouted() throws Exception {
        MediaWikiState q = queue("shared", "wikia");
        q.push("j1", "10 ok");
        start("jobrunner.mediawiki.dispatch.env { FAKE_MODE = raced }", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> batches("shared", "drained") == 1);
        q.push("j2", "10 ok");
        await().atMost(Duration.ofSeconds(20)).until(() -> batches("shared", "drained") == 2);
        assertThat(batches("shared", "misrouted")).as("two batches in a row ran nothing, but the jobs were gone").isZero();
    }

    @Test
    void aListedQueueWithNoReadyJobIsSkippedWithoutStartingABatch() throws Exception {
        redis.hset(MwReadyMap.KEY, Map.of(MwReadyMap.EPOCH, Long.toString(System.currentTimeMillis() / 1000),
                "empty/wikia", Long.toString(System.currentTimeMillis() / 1000)));
        start("", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> batches("empty", "skipped-empty") >= 1);
        Thread.sleep(500);
        assertThat(redis.get("fake:starts")).isNull();
        assertThat(batches("empty", "skipped-empty")).as("once per slot at most: forgotten until the map says otherwise").isBetween(1L, 2L);
    }

    @Test
    void throttleBackoffsFromTheBatchHoldTheType() throws Exception {
        queue("throttled", "wikia").push("j1", "10 ok");
        queue("throttled", "wikib").push("j2", "10 ok");
        start("jobrunner.runner.groups.basic.slots = 1, jobrunner.mediawiki.dispatch.env { FAKE_MODE = backoff }", true);
        await().atMost(Duration.ofSeconds(15)).until(() -> batches("throttled", "drained") >= 1);
        Thread.sleep(1500);
        assertThat(Long.parseLong(redis.get("fake:starts"))).as("the type waits on every wiki").isEqualTo(1);
    }

    @Test
    void aSlotThatDiesOfAnErrorIsLoggedCountedAndReplaced() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        // the first batch outcome to be counted throws an Error out of the slot's step
        metrics = new MetricRegistry() {
            @Override
            public Meter meter(String name) {
                if (name.startsWith(MwRunnerMetrics.BATCHES + "{") && thrown.compareAndSet(false, true)) {
                    throw new OutOfMemoryError("thrown by the test");
                }
                return super.meter(name);
            }
        };
        MediaWikiState q = queue("typeX", "wikia");
        q.push("a1", "10 ok");
        start("jobrunner.runner.groups.basic.slots = 1", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> RegistryCounts.sum(metrics, MwRunnerMetrics.SLOTS_REPLACED) == 1);
        q.push("a2", "10 ok");
        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded("typeX") == 2);
        assertThat(thrown).isTrue();
    }
}
