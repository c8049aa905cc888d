package io.jobrunner.mediawiki.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jobrunner.mediawiki.it.MediaWikiRig.assertNoErrors;
import static io.jobrunner.mediawiki.it.MediaWikiRig.batches;
import static io.jobrunner.mediawiki.it.MediaWikiRig.jobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MediaWiki mode's dispatch against the real MediaWiki 1.39: a job type the wiki has no class for waits and is never
 * lost, a dispatch whose settings select another wiki is found out instead of spinning, and the {@code http} kind
 * runs batches through a batch endpoint served by {@code php -S} (MediaWiki's own JobRunner behind it).
 */
class DispatchMediaWikiIT {

    static MediaWikiRig rig;

    @BeforeAll
    static void installWiki() throws Exception {
        rig = MediaWikiRig.open("the MediaWiki dispatch acceptance tests");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        rig.close();
    }

    @BeforeEach
    void emptyQueues() {
        assumeTrue(rig.missing == null, () -> "MediaWiki acceptance suite skipped: " + rig.missing);
        rig.redis.flushall();
    }

    @AfterEach
    void stopDaemons() throws Exception {
        rig.stopDaemons();
    }

    /**
     * Pushes {@code count} jobs through testwiki's own job queue code into the {@code type} queue of {@code wiki} (a DB
     * domain ID; the queue itself, so a wiki or type unknown here is accepted, as from another wiki of a farm).
     */
    static void push(String wiki, String type, String job, int count) throws Exception {
        rig.testwiki.eval("$q = MediaWiki\\MediaWikiServices::getInstance()->getJobQueueGroupFactory()->makeJobQueueGroup('" + wiki
                + "')->get('" + type + "'); for ($i = 0; $i < " + count + "; $i++) { $q->push(" + job + "); }");
    }

    @Test
    void aTypeTheWikiHasNoClassForWaitsAndIsNeverLost() throws Exception {
        Path conf = rig.config("at8", "");
        Daemon chron = rig.start("at8-chron", "chron", "--config", conf.toString());
        Daemon runner = rig.start("at8-runner", "runner", "--config", conf.toString());
        push("testwiki", "noSuchType", "new JobSpecification('noSuchType', [])", 1);
        String ready = "testwiki:jobqueue:noSuchType:l-unclaimed";
        assertThat(rig.redis.llen(ready)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> batches(runner, "noSuchType", "none-possible") == 1);
        assertThat(runner.log()).contains("wiki testwiki has no job class noSuchType");
        // backed off (5 minutes): no second batch, and the job stays where MediaWiki put it
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15))
                .until(() -> batches(runner, "noSuchType", "none-possible") == 1 && rig.redis.llen(ready) == 1);
        assertNoErrors(chron, runner);
    }

    @Test
    void aDispatchWhoseSettingsSelectAnotherWikiIsReportedMisroutedAndBackedOff() throws Exception {
        // no --conf: every batch runs with testwiki's settings, whatever --wiki says
        Path conf = rig.config("at9", "jobrunner.mediawiki.dispatch { argv = [\"php\", \"/usr/share/mediawiki/maintenance/runJobs.php\", "
                + "\"--wiki={db}\", \"--type={type}\", \"--maxtime={maxtime}\", \"--memory-limit={maxmem}\", \"--result=json\"], "
                + "env { MW_CONFIG_FILE = \"" + rig.testwiki.localSettings() + "\" } }");
        Daemon chron = rig.start("at9-chron", "chron", "--config", conf.toString());
        Daemon runner = rig.start("at9-runner", "runner", "--config", conf.toString());
        push("otherwiki", "null", "new NullJob([])", 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> batches(runner, "null", "misrouted") == 1);
        assertThat(runner.log()).contains("runJobs.php for wiki otherwiki found no null job but 1 are ready: do --wiki/--conf select this wiki?");
        long batches = batches(runner, "null", "drained");
        assertThat(batches).as("two batches found nothing, then the queue was backed off").isEqualTo(2);
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15))
                .until(() -> batches(runner, "null", "drained") == batches && rig.redis.llen("otherwiki:jobqueue:null:l-unclaimed") == 1);
        assertNoErrors(chron, runner);
    }

    @Test
    void theHttpKindRunsBatchesThroughTheWikisBatchEndpoint() throws Exception {
        Path www = Files.createDirectories(rig.scratch.resolve("www"));
        try (InputStream in = DispatchMediaWikiIT.class.getResourceAsStream("/runjobs-endpoint.php")) {
            Files.copy(in, www.resolve("runjobs-endpoint.php"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path serverLog = rig.scratch.resolve("php-server.log");
        ProcessBuilder builder = new ProcessBuilder("php", "-S", "127.0.0.1:" + port, "-t", www.toString())
                .redirectErrorStream(true).redirectOutput(serverLog.toFile());
        builder.environment().put("MW_CONFIG_FILE", rig.testwiki.localSettings().toString());
        builder.environment().put("PHP_CLI_SERVER_WORKERS", "2");
        Process server = builder.start();
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return true;
                }
            });
            // a request is cancelled at the process timeout while the PHP behind it runs on: leave a loaded machine time
            Path conf = rig.config("http", "jobrunner.mediawiki.dispatch { kind = http, url = \"http://127.0.0.1:" + port
                    + "/runjobs-endpoint.php?wiki={db:u}&type={type:u}&maxtime={maxtime}&maxmem={maxmem:u}\" }\n"
                    + "jobrunner.mediawiki.limits { process-timeout { \"*\" = 60s }, claim-ttl { \"*\" = 90s } }");
            Daemon chron = rig.start("http-chron", "chron", "--config", conf.toString());
            Daemon runner = rig.start("http-runner", "runner", "--config", conf.toString());
            push("testwiki", "null", "new NullJob([])", 5);
            push("otherwiki", "null", "new NullJob([])", 1);
            await().atMost(Duration.ofSeconds(90)).until(() -> rig.redis.exists("testwiki:jobqueue:null:h-data") == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.metric("jobrunner_mediawiki_jobs_succeeded_total",
                    "wiki", "testwiki", "type", "null") == 5);
            assertThat(jobs(runner, "null", "failed")).isZero();
            assertThat(Files.readString(serverLog)).contains("[200]: POST /runjobs-endpoint.php?wiki=testwiki&type=null&maxtime=2&maxmem=300M");
            // the endpoint serves testwiki only: its 404 for otherwiki is an error outcome, backed off, the job kept
            await().atMost(Duration.ofSeconds(30)).until(() -> runner.metric("jobrunner_mediawiki_batches_total",
                    "wiki", "otherwiki", "type", "null", "outcome", "error") >= 1);
            assertThat(runner.log()).contains("HTTP status 404");
            assertThat(rig.redis.llen("otherwiki:jobqueue:null:l-unclaimed")).isEqualTo(1);
            assertNoErrors(chron);
        } finally {
            List<ProcessHandle> workers = server.descendants().toList();
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
