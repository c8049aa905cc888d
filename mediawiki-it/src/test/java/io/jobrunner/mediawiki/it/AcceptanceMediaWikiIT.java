package io.jobrunner.mediawiki.it;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jobrunner.mediawiki.it.MediaWikiRig.assertNoErrors;
import static io.jobrunner.mediawiki.it.MediaWikiRig.batches;
import static io.jobrunner.mediawiki.it.MediaWikiRig.jobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MediaWiki mode against a real MediaWiki 1.39 (Debian's package): the wiki pushes real jobs into the test's own
 * Redis, and the built {@code jobrunner.jar} runs as {@code jobrunner chron} and {@code jobrunner runner} child
 * processes. Oracles: MediaWiki's showJobs.php, the wiki's SQLite database, Redis, and the daemons' /metrics.
 * Skipped, with the reason printed, when MediaWiki is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcceptanceMediaWikiIT {

    static MediaWikiRig rig;
    static RedisCommands<String, String> redis;
    static Path scratch;
    static Wiki testwiki;

    @BeforeAll
    static void installWiki() throws Exception {
        rig = MediaWikiRig.open("the MediaWiki acceptance suite");
        redis = rig.redis;
        scratch = rig.scratch;
        testwiki = rig.testwiki;
    }

    @AfterAll
    static void stopRedis() throws Exception {
        rig.close();
    }

    @BeforeEach
    void emptyQueues() {
        assumeTrue(rig.missing == null, () -> "MediaWiki acceptance suite skipped: " + rig.missing);
        redis.flushall();
    }

    @AfterEach
    void stopDaemons() throws Exception {
        rig.stopDaemons();
    }

    static int port() {
        return rig.port();
    }

    static Path config(String name, String extra) throws Exception {
        return rig.config(name, extra);
    }

    Daemon start(String name, String... args) throws Exception {
        return rig.start(name, args);
    }

    static String firstId(String key) {
        return rig.firstId(key);
    }

    /** AT-1 checks: every job ran, links updated, nothing left in Redis but an empty ready map. */
    static void assertDrained(Wiki wiki, Daemon runner, long categoryCount, Duration within) throws Exception {
        await().atMost(within).pollInterval(Duration.ofMillis(500))
                .until(() -> wiki.showJobsGroup().isEmpty() && wiki.categoryCount("HarnessTemplated") == categoryCount);
        assertThat(wiki.showJobsTotal()).isEqualTo("0");
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.smembers("global:jobqueue:s-queuesWithJobs").isEmpty());
        assertThat(redis.keys(wiki.dbName + ":jobqueue:*")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.hkeys("jobqueue:aggregator:h-ready-queues:v2").equals(List.of("_epoch")));
        long epoch = Long.parseLong(redis.hget("jobqueue:aggregator:h-ready-queues:v2", "_epoch"));
        assertThat(epoch).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        // the batches report their jobs when they exit, a moment after MediaWiki acked the last one
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.metric("jobrunner_mediawiki_batches_running") == 0);
        assertThat(jobs(runner, "refreshLinks", "succeeded")).isGreaterThanOrEqualTo(categoryCount);
        assertThat(jobs(runner, "htmlCacheUpdate", "succeeded")).isGreaterThanOrEqualTo(1);
        assertThat(jobs(runner, "refreshLinks", "failed") + jobs(runner, "htmlCacheUpdate", "failed")).isZero();
    }

    @Test
    @Order(1)
    void templateEditDrainsAndLinksAreUpdated() throws Exception {
        testwiki.editTemplate(20);
        assertThat(testwiki.showJobsGroup()).contains("refreshLinks:", "htmlCacheUpdate:", "recentChangesUpdate:");
        long before = testwiki.categoryCount("HarnessTemplated");
        assertThat(before).isEqualTo(1);
        Path conf = config("at1", "");
        Daemon chron = start("at1-chron", "chron", "--config", conf.toString());
        Daemon runner = start("at1-runner", "runner", "--config", conf.toString());
        assertDrained(testwiki, runner, 21, Duration.ofSeconds(120));
        assertThat(jobs(runner, "htmlCacheUpdate", "succeeded")).isGreaterThanOrEqualTo(44);
        assertThat(runner.stop(Duration.ofSeconds(20))).isZero();
        assertThat(chron.stop(Duration.ofSeconds(20))).isZero();
        assertNoErrors(chron, runner);
    }

    @Test
    @Order(2)
    void aFailingJobIsTriedMaxTriesTimesThenAbandonedThenPruned() throws Exception {
        Path conf = config("at2", "jobrunner.chron.abandoned-retention = 10s");
        long pushed = System.currentTimeMillis() / 1000;
        testwiki.eval("MediaWiki\\MediaWikiServices::getInstance()->getJobQueueGroup()->push("
                + "new RefreshLinksJob(Title::newMainPage(), ['pages' => [[0, '']]]));");
        String p = "testwiki:jobqueue:refreshLinks:";
        String id = firstId(p + "l-unclaimed");
        assertThat(id).isNotNull();
        Daemon chron = start("at2-chron", "chron", "--config", conf.toString());
        Daemon runner = start("at2-runner", "runner", "--config", conf.toString());
        List<String> attemptsSeen = new ArrayList<>();
        double[] lastClaim = {0};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String a = redis.hget(p + "h-attempts", id);
            Double claim = redis.zscore(p + "z-claimed", id);
            if (claim != null && claim > lastClaim[0]) {
                if (lastClaim[0] > 0) {
                    assertThat(claim - lastClaim[0]).as("no recycle earlier than the claim TTL").isGreaterThanOrEqualTo(6);
                }
                lastClaim[0] = claim;
            }
            if (a != null && (attemptsSeen.isEmpty() || !attemptsSeen.get(attemptsSeen.size() - 1).equals(a))) {
                attemptsSeen.add(a);
            }
            return redis.zscore(p + "z-abandoned", id) != null;
        });
        assertThat(attemptsSeen).containsExactly("1", "2", "3");
        assertThat(testwiki.showJobsGroup()).isEqualTo("refreshLinks: 0 queued; 1 claimed (0 active, 1 abandoned); 0 delayed");
        double score = redis.zscore(p + "z-abandoned", id);
        assertThat(score).isBetween((double) pushed, System.currentTimeMillis() / 1000.0);
        assertThat(redis.smembers("jobrunner:mw:s-queuesWithAbandoned")).contains(p);
        assertThat(jobs(runner, "refreshLinks", "failed")).isEqualTo(3);
        assertThat(chron.metric("jobrunner_mediawiki_chron_jobs_abandoned_total")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> !redis.hexists(p + "h-data", id) && !redis.hexists(p + "h-attempts", id));
        assertThat(testwiki.showJobsGroup()).isEmpty();
        assertThat(redis.smembers("jobrunner:mw:s-queuesWithAbandoned")).doesNotContain(p);
    }

    @Test
    @Order(3)
    void aDelayedJobIsUndelayedOnTimeNotEarlier() throws Exception {
        Path conf = config("at3", "");
        Daemon chron = start("at3-chron", "chron", "--config", conf.toString());
        Daemon runner = start("at3-runner", "runner", "--config", conf.toString());
        long release = System.currentTimeMillis() / 1000 + 12;
        testwiki.eval("MediaWiki\\MediaWikiServices::getInstance()->getJobQueueGroup()->push(new NullJob(['jobReleaseTimestamp' => "
                + release + "]));");
        String p = "testwiki:jobqueue:null:";
        String id = firstId(p + "z-delayed");
        assertThat(id).isNotNull();
        await().atMost(Duration.ofSeconds(12)).until(() -> System.currentTimeMillis() / 1000 >= release - 6);
        assertThat(testwiki.showJobsGroup()).isEqualTo("null: 0 queued; 0 claimed (0 active, 0 abandoned); 1 delayed");
        assertThat(jobs(runner, "null", "succeeded")).isZero();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> !redis.hexists(p + "h-data", id));
        assertThat(System.currentTimeMillis() / 1000).as("not run before its release time").isGreaterThanOrEqualTo(release);
        // the batch reports its jobs when it exits, a moment after MediaWiki acked the job
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs(runner, "null", "succeeded") == 1);
        assertNoErrors(chron, runner);
    }

    @Test
    @Order(4)
    void aKilledRunnersClaimIsRecycledAfterTheTtl() throws Exception {
        Path conf = config("at4", "jobrunner.mediawiki.limits { claim-ttl { \"*\" = 10s }, process-timeout { \"*\" = 8s } }");
        Daemon chron = start("at4-chron", "chron", "--config", conf.toString());
        testwiki.eval("MediaWiki\\MediaWikiServices::getInstance()->getJobQueueGroup()->push(new NullJob(['usleep' => 3000000]));");
        String p = "testwiki:jobqueue:null:";
        String id = firstId(p + "l-unclaimed");
        Daemon first = start("at4-runner1", "runner", "--config", conf.toString());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> redis.zcard(p + "z-claimed") == 1);
        double claimed = redis.zscore(p + "z-claimed", id);
        first.kill9();
        Thread.sleep(1000);
        assertThat(redis.zscore(p + "z-claimed", id)).isEqualTo(claimed);
        assertThat(redis.hget(p + "h-attempts", id)).isEqualTo("1");
        Daemon second = start("at4-runner2", "runner", "--config", conf.toString());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> "2".equals(redis.hget(p + "h-attempts", id)) || !redis.hexists(p + "h-data", id));
        assertThat(redis.hget(p + "h-attempts", id)).as("popped a second time, by the new runner").isIn("2", null);
        assertThat(System.currentTimeMillis() / 1000.0).as("not recycled early").isGreaterThanOrEqualTo(claimed + 10 - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !redis.hexists(p + "h-data", id));
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs(second, "null", "succeeded") == 1);
        assertNoErrors(chron, second);
    }

    @Test
    @Order(5)
    void aBatchIsKilledAtItsProcessTimeoutAndTheJobAbandonedAfterItsAttempts() throws Exception {
        Path conf = config("at5", "");
        Daemon chron = start("at5-chron", "chron", "--config", conf.toString());
        Daemon runner = start("at5-runner", "runner", "--config", conf.toString());
        testwiki.eval("MediaWiki\\MediaWikiServices::getInstance()->getJobQueueGroup()->push(new NullJob(['usleep' => 30000000]));");
        await().atMost(Duration.ofSeconds(30)).until(() -> batches(runner, "null", "timeout") == 1);
        assertThat(runner.log()).contains("killed after");
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.process.descendants().findAny().isEmpty());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> testwiki.showJobsGroup().equals("null: 0 queued; 1 claimed (0 active, 1 abandoned); 0 delayed"));
        assertThat(batches(runner, "null", "timeout")).isEqualTo(3);
        chron.stop(Duration.ofSeconds(20));
    }

    @Test
    @Order(6)
    void aWikiWhoseDomainIdIsNotItsWikiIdDrains() throws Exception {
        Wiki myWiki = Wiki.install(scratch, "my-wiki", port());
        redis.flushall();
        myWiki.editTemplate(3);
        Path conf = config("at6", "");
        Daemon chron = start("at6-chron", "chron", "--config", conf.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> redis.hexists("jobqueue:aggregator:h-ready-queues:v2", "htmlCacheUpdate/my%3Fhwiki"));
        Thread.sleep(3000);
        assertThat(redis.smembers("global:jobqueue:s-queuesWithJobs"))
                .contains("[\"htmlCacheUpdate\",\"my?hwiki\"]", "[\"refreshLinks\",\"my?hwiki\"]");
        Daemon runner = start("at6-runner", "runner", "--config", conf.toString());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> myWiki.showJobsGroup().isEmpty() && myWiki.categoryCount("HarnessTemplated") == 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.smembers("global:jobqueue:s-queuesWithJobs").isEmpty());
        assertThat(redis.keys("my-wiki:jobqueue:*")).isEmpty();
        assertNoErrors(chron, runner);
    }

    @Test
    @Order(7)
    void aLegacyJobrunnerJsonWorksUnchanged() throws Exception {
        // A wiki of its own: on testwiki, whose pages already use the template, the harness's second run edits the
        // template twice with no runner in between, and MediaWiki itself then drops the second edit's refreshLinks
        // job (a duplicate of the first, still queued) and runs the first as an old root-job duplicate: no runner
        // could update the links then.
        Wiki legacywiki = Wiki.install(scratch, "legacywiki", port());
        for (String variant : new String[]{"command", "shell"}) {
            redis.flushall();
            String dispatcher = "env MW_CONFIG_FILE=" + legacywiki.localSettings() + " php /usr/share/mediawiki/maintenance/runJobs.php"
                    + " --wiki=%(db)x --type=%(type)x --maxtime=%(maxtime)x --memory-limit=%(maxmem)x --result=json"
                    + (variant.equals("shell") ? " | cat" : "");
            Path json = scratch.resolve("jobrunner-" + variant + ".json");
            Files.writeString(json, """
                    {
                        // groups, as the PHP sample writes them
                        "groups": {
                            "basic": { "runners": 2, "include": ["*"], "exclude": ["webVideoTranscode"], "low-priority": ["htmlCacheUpdate"] },
                            "other": { "runners": 0, "include": ["webVideoTranscode"] }
                        },
                        "limits": {
                            "attempts": { "*": 3 },
                            "claimTTL": { "*": 6 },
                            // clamped to 120 with a warning
                            "real": { "*": 4 },
                            "memory": { "*": "300M" }
                        },
                        "redis": { "aggregators": ["127.0.0.1:%d"], "queues": ["127.0.0.1:%d"] },
                        "dispatcher": "%s"
                    }
                    """.formatted(port(), port(), dispatcher.replace("/", "\\/")));
            String checked = Wiki.run(Map.of(), null, 60, "java", "-jar", MediaWikiPrerequisites.jar().toString(), "check-config",
                    "--config-file=" + json, "--json");
            assertThat(checked).contains("\"kind\" : \"" + variant + "\"");
            if (variant.equals("command")) {
                assertThat(checked).contains("\"env\"");
                Path converted = scratch.resolve("j.conf");
                Wiki.run(Map.of(), null, 60, "java", "-jar", MediaWikiPrerequisites.jar().toString(), "mediawiki",
                        "convert-config", json.toString(), "--out", converted.toString());
                String again = Wiki.run(Map.of(), null, 60, "java", "-jar", MediaWikiPrerequisites.jar().toString(), "check-config",
                        "--config", converted.toString(), "--json");
                assertThat(jsonOnly(again)).isEqualTo(jsonOnly(checked));
            }
            // the full template edit once; the shell variant runs a pushed job (each edit costs a PHP start per page)
            if (variant.equals("command")) {
                legacywiki.editTemplate(20);
            } else {
                legacywiki.eval("MediaWiki\\MediaWikiServices::getInstance()->getJobQueueGroup()->push(new NullJob([]));");
            }
            Daemon chron = start("at7-" + variant + "-chron", "chron", "--config-file=" + json);
            Daemon runner = start("at7-" + variant + "-runner", "runner", "--config-file=" + json);
            if (variant.equals("command")) {
                assertDrained(legacywiki, runner, 21, Duration.ofSeconds(120));
            } else {
                await().atMost(Duration.ofSeconds(30)).until(() -> jobs(runner, "null", "succeeded") == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> legacywiki.showJobsGroup().isEmpty());
            }
            assertThat(runner.stop(Duration.ofSeconds(20))).isZero();
            assertThat(chron.stop(Duration.ofSeconds(20))).isZero();
            assertThat(chron.log()).contains("limits.real.* = 4 raised to 120s");
        }
    }

    private static String jsonOnly(String output) {
        return output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1);
    }

    @Test
    @Order(8)
    void gracefulShutdownWaitsForTheRunningBatch() throws Exception {
        Path conf = config("at10", "jobrunner.mediawiki.limits { claim-ttl { \"*\" = 10s }, process-timeout { \"*\" = 8s } }");
        Daemon chron = start("at10-chron", "chron", "--config", conf.toString());
        Daemon runner = start("at10-runner", "runner", "--config", conf.toString());
        testwiki.eval("MediaWiki\\MediaWikiServices::getInstance()->getJobQueueGroup()->push(new NullJob(['usleep' => 3000000]));");
        String p = "testwiki:jobqueue:null:";
        String id = firstId(p + "l-unclaimed");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> redis.zcard(p + "z-claimed") == 1);
        assertThat(runner.stop(Duration.ofSeconds(30))).isZero();
        assertThat(redis.hexists(p + "h-data", id)).as("the batch ended before the runner did").isFalse();
        assertNoErrors(runner, chron);
    }
}
