package io.jobrunner.mediawiki.it;

import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the acceptance tests share: a Redis of their own, a scratch directory with {@code testwiki} installed in it,
 * the base config of MediaWiki mode, and the daemons a test started (stopped after each test). When MediaWiki is not
 * installed, {@link #missing} says why and nothing is started.
 */
final class MediaWikiRig implements AutoCloseable {

    final String missing;
    RunningRedis server;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> redis;
    Path scratch;
    Wiki testwiki;
    private final List<Daemon> daemons = new ArrayList<>();

    private MediaWikiRig(String missing) {
        this.missing = missing;
    }

    /** Starts Redis and installs testwiki, or says (printed, and in {@link #missing}) why the suite is skipped. */
    static MediaWikiRig open(String suite) throws Exception {
        MediaWikiRig rig = new MediaWikiRig(MediaWikiPrerequisites.missing());
        if (rig.missing != null) {
            System.out.println("[mediawiki-it] SKIPPED " + suite + ": " + rig.missing);
            return rig;
        }
        rig.server = RedisServers.startDedicated();
        rig.client = RedisClient.create(rig.server.uri());
        rig.connection = rig.client.connect();
        rig.redis = rig.connection.sync();
        rig.scratch = Files.createTempDirectory("jobrunner-mediawiki-it");
        rig.testwiki = Wiki.install(rig.scratch, "testwiki", rig.port());
        return rig;
    }

    int port() {
        return RedisURI.create(server.uri()).getPort();
    }

    /** The base config of the acceptance tests, with {@code extra} HOCON over it; returns its path. */
    Path config(String name, String extra) throws Exception {
        String hocon = """
                jobrunner {
                  mode = mediawiki
                  redis.uri = "redis://127.0.0.1:%d"
                  runner { groups.basic { slots = 2, types = ["*"], low-priority = ["htmlCacheUpdate"] }
                           refresh-interval = 200ms, share-window = 1m, shutdown-grace = 10s, http.port = 0, jmx.enabled = false }
                  chron  { interval = 1s, prune-interval = 2s, http.port = 0 }
                  mediawiki {
                    dispatch { argv = ["php", "/usr/share/mediawiki/maintenance/runJobs.php", "--conf=%s/{wiki}/LocalSettings.php",
                                       "--wiki={db}", "--type={type}", "--maxtime={maxtime}", "--memory-limit={maxmem}", "--result=json"]
                               maxtime { high = 2s, low = 2s }, stop-grace = 1s }
                    limits { attempts { "*" = 3 }, claim-ttl { "*" = 6s }, process-timeout { "*" = 4s } }
                  }
                }
                %s
                """.formatted(port(), scratch, extra);
        Path file = scratch.resolve(name + ".conf");
        Files.writeString(file, hocon);
        return file;
    }

    /** Starts a daemon from the built jar; it is stopped after the test. */
    Daemon start(String name, String... args) throws Exception {
        Daemon d = Daemon.start(scratch, name, args);
        daemons.add(d);
        return d;
    }

    void stopDaemons() throws Exception {
        for (Daemon d : daemons) {
            d.close();
        }
        daemons.clear();
    }

    /** The first id of a queue's list or sorted set, or null. */
    String firstId(String key) {
        List<String> ids = redis.type(key).equals("zset") ? redis.zrange(key, 0, -1) : redis.lrange(key, 0, -1);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Jobs of the type a runner's batches reported with the status (succeeded, failed). */
    static long jobs(Daemon runner, String type, String status) throws Exception {
        return runner.metric("jobrunner_mediawiki_jobs_" + status + "_total", "type", type);
    }

    /** A runner's batches of the type with the outcome. */
    static long batches(Daemon runner, String type, String outcome) throws Exception {
        return runner.metric("jobrunner_mediawiki_batches_total", "type", type, "outcome", outcome);
    }

    static void assertNoErrors(Daemon... ds) throws Exception {
        for (Daemon d : ds) {
            assertThat(d.log()).doesNotContain(" ERROR ");
        }
    }

    @Override
    public void close() throws Exception {
        stopDaemons();
        if (connection != null) {
            connection.close();
            client.shutdown();
            server.close();
        }
    }
}
