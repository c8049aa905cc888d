package io.jobrunner.mediawiki.chron;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.chron.ChronSettings;
import io.jobrunner.mediawiki.MediaWikiState;
import io.jobrunner.mediawiki.MwQueueScripts;
import io.jobrunner.mediawiki.MwReadyMap;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.mediawiki.PhpPoolLock;
import io.jobrunner.mediawiki.RegistryCounts;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The MediaWiki-mode chron against real Redis servers of its own. */
class MwChronIT {

    final List<AutoCloseable> toClose = new ArrayList<>();
    final List<MwChron> chrons = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (MwChron c : chrons) {
            c.stop();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    RunningRedis redisServer() {
        RunningRedis server = RedisServers.startDedicated();
        toClose.add(server);
        return server;
    }

    RedisCommands<String, String> connect(RunningRedis server) {
        RedisClient client = RedisClient.create(server.uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        toClose.add(client::shutdown);
        toClose.add(connection);
        return connection.sync();
    }

    MwChron chron(String hocon, MetricRegistry metrics) {
        Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString(hocon
                + "\njobrunner { mode = mediawiki, chron { interval = 200ms, prune-interval = 500ms, http.enabled = false } }"), Map.of());
        MwChron chron = new MwChron(MwSettings.from(config), ChronSettings.from(config), 500, metrics, Clock.systemUTC());
        chrons.add(chron);
        chron.start();
        return chron;
    }

    @Test
    void aServerThatFailsIsCountedAndTheMapIsStillWrittenWithTheOthersQueues() {
        RunningRedis a = redisServer();
        RunningRedis b = redisServer();
        RedisCommands<String, String> ra = connect(a);
        RedisCommands<String, String> rb = connect(b);
        new MediaWikiState(ra, "refreshLinks", "wikia").push("j1");
        new MediaWikiState(rb, "htmlCacheUpdate", "wikib").push("j2");
        MetricRegistry metrics = new MetricRegistry();
        chron("jobrunner.redis.uri = \"" + a.uri() + "\"\njobrunner.mediawiki { queues = [\"" + a.uri() + "\", \"" + b.uri()
                + "\"], aggregators = [\"" + a.uri() + "\"], down-time = 1s }", metrics);
        await().atMost(Duration.ofSeconds(10)).until(() -> ra.hkeys(MwReadyMap.KEY).containsAll(List.of("refreshLinks/wikia", "htmlCacheUpdate/wikib")));
        String bName = "127.0.0.1:" + io.lettuce.core.RedisURI.create(b.uri()).getPort();
        b.close();
        new MediaWikiState(ra, "null", "wikia").push("j3");
        await().atMost(Duration.ofSeconds(15)).until(() -> ra.hkeys(MwReadyMap.KEY).contains("null/wikia")
                && RegistryCounts.sum(metrics, MwChronMetrics.SERVER_FAILURES, "server", bName) > 0);
        assertThat(ra.hkeys(MwReadyMap.KEY)).contains("_epoch", "refreshLinks/wikia").doesNotContain("htmlCacheUpdate/wikib");
    }

    @Test
    void thePhpPoolLockIsRespectedTakenWhenStaleAndReleasedAfterThePass() throws InterruptedException {
        RunningRedis a = redisServer();
        RedisCommands<String, String> r = connect(a);
        double now = System.currentTimeMillis() / 1000.0;
        r.set(PhpPoolLock.KEY + "0", String.valueOf(now));
        new MediaWikiState(r, "refreshLinks", "wikia").push("j1");
        MetricRegistry metrics = new MetricRegistry();
        chron("jobrunner.redis.uri = \"" + a.uri() + "\"", metrics);
        await().atMost(Duration.ofSeconds(10)).until(() -> RegistryCounts.sum(metrics, MwChronMetrics.RACED) >= 2);
        assertThat(r.exists(MwReadyMap.KEY)).as("no pass while a PHP chron holds the only slot").isZero();
        r.set(PhpPoolLock.KEY + "0", String.valueOf(now - 301));
        await().atMost(Duration.ofSeconds(10)).until(() -> r.hexists(MwReadyMap.KEY, "refreshLinks/wikia"));
        await().atMost(Duration.ofSeconds(5)).until(() -> r.get(PhpPoolLock.KEY + "0") == null);
        PhpPoolLock lock = new PhpPoolLock(1);
        assertThat(lock.acquire(r, now)).as("free again between passes (or held for a moment by one)").isIn(0, -1);
    }

    @Test
    void theMapIsNeverSeenWithoutItsEpoch() throws Exception {
        RunningRedis a = redisServer();
        RedisCommands<String, String> r = connect(a);
        for (int i = 0; i < 50; i++) {
            new MediaWikiState(r, "t" + i, "wikia").push("j" + i);
        }
        chron("jobrunner.redis.uri = \"" + a.uri() + "\"\njobrunner.mediawiki.chron.php-pool-lock = false", new MetricRegistry());
        await().atMost(Duration.ofSeconds(10)).until(() -> r.exists(MwReadyMap.KEY) == 1);
        RedisCommands<String, String> reader = connect(a);
        AtomicBoolean sawWithoutEpoch = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until && reads.get() < 100_000) {
            Map<String, String> map = reader.hgetall(MwReadyMap.KEY);
            reads.incrementAndGet();
            if (!map.containsKey(MwReadyMap.EPOCH) || map.size() != 51) {
                sawWithoutEpoch.set(true);
            }
        }
        assertThat(reads.get()).isGreaterThan(100);
        assertThat(sawWithoutEpoch).as("every read saw a whole map").isFalse();
    }

    @Test
    void theStartScanRegistersAnAbandonedOnlyQueueAndThePrunerDeletesItsOldJobs() {
        RunningRedis a = redisServer();
        RedisCommands<String, String> r = connect(a);
        MediaWikiState q = new MediaWikiState(r, "refreshLinks", "my?hwiki");
        q.abandoned("old", System.currentTimeMillis() / 1000 - 10, 3);
        q.abandoned("young", System.currentTimeMillis() / 1000 + 3600, 3);
        chron("jobrunner.redis.uri = \"" + a.uri() + "\"\njobrunner.chron.abandoned-retention = 5s", new MetricRegistry());
        await().atMost(Duration.ofSeconds(10)).until(() -> !r.hexists(q.key("h-data"), "old"));
        assertThat(r.smembers(new MwQueueScripts("jobrunner:mw").withAbandonedKey())).containsExactly("my-wiki:jobqueue:refreshLinks:");
        assertThat(r.hexists(q.key("h-data"), "young")).isTrue();
    }

    @Test
    void oneChronLeadsAndAStandbyTakesOverWhenItStops() throws InterruptedException {
        RunningRedis a = redisServer();
        RedisCommands<String, String> r = connect(a);
        MwChron first = chron("jobrunner.redis.uri = \"" + a.uri() + "\"", new MetricRegistry());
        await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
        MwChron second = chron("jobrunner.redis.uri = \"" + a.uri() + "\"", new MetricRegistry());
        Thread.sleep(600);
        assertThat(second.isLeader()).isFalse();
        first.stop();
        chrons.remove(first);
        await().atMost(Duration.ofSeconds(5)).until(second::isLeader);
        assertThat(r.exists("jobrunner:mw:chron:lease")).isEqualTo(1);
    }

    @Test
    void aLoopThatDiesOfAnErrorIsLoggedCountedAndGivesUpTheLease() throws Exception {
        RunningRedis a = redisServer();
        RedisCommands<String, String> ra = connect(a);
        new MediaWikiState(ra, "null", "wikia").delayed("d1", System.currentTimeMillis() / 1000 - 1);
        // counting the first undelayed job throws an Error out of the chron's loop
        MetricRegistry metrics = new MetricRegistry() {
            @Override
            public Meter meter(String name) {
                if (name.startsWith(MwChronMetrics.PROMOTED + "{")) {
                    throw new OutOfMemoryError("thrown by the test");
                }
                return super.meter(name);
            }
        };
        MwChron chron = chron("jobrunner.redis.uri = \"" + a.uri() + "\"", metrics);
        assertThat(chron.failure().get(20, TimeUnit.SECONDS)).contains("mw-chron died of java.lang.OutOfMemoryError: thrown by the test");
        assertThat(RegistryCounts.sum(metrics, MwChronMetrics.ERRORS)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ra.exists("jobrunner:mw:chron:lease") == 0);
        assertThat(chron.isLeader()).isFalse();
    }
}
