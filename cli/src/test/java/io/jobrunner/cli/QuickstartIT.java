package io.jobrunner.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The quickstart runs its demo to the end and leaves nothing running behind. */
class QuickstartIT {

    private static final Pattern REDIS_LINE = Pattern.compile("Redis: (redis-server|embedded)(?: pid (\\d+))? on redis://127\\.0\\.0\\.1:(\\d+)");

    record StartedRedis(String kind, long pid, int port) {
    }

    static StartedRedis startedRedis(String output) {
        Matcher m = REDIS_LINE.matcher(output);
        assertThat(m.find()).as("the quickstart names the Redis it started:\n" + output).isTrue();
        return new StartedRedis(m.group(1), m.group(2) == null ? -1 : Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)));
    }

    static void assertGone(StartedRedis redis) {
        if (redis.pid() > 0) {
            Optional<ProcessHandle> process = ProcessHandle.of(redis.pid());
            assertThat(process.isEmpty() || !process.get().isAlive()).as("redis-server pid " + redis.pid() + " is gone").isTrue();
        }
        assertThat(LocalRedisProbe.answers(redis.port())).as("nothing answers on port " + redis.port()).isFalse();
    }

    @Test
    void runsTheDemoToTheEndAndStopsWhatItStarted() {
        Cli.Result r = Cli.plain().run("quickstart", "--jobs", "60");

        assertThat(r.code()).as(r.toString()).isZero();
        StartedRedis redis = startedRedis(r.out());
        assertThat(r.out())
                .contains("pushed 57 demo jobs").contains("(3 duplicates dropped)")
                .contains("done: every demo job ran in")
                .containsPattern("TOTAL\\s+57\\s+57\\s+0\\s+0\\s+0\\s+\\d+\\s+0")
                .containsPattern("demo.flaky\\s+6\\s+6\\s+0\\s+0\\s+0\\s+6\\s+0")
                .contains("stopped the runner").contains("stopped the chron")
                .contains("on port " + redis.port() + " and removed its data");
        assertGone(redis);
    }

    @Test
    void runsTheDemoOnALocalClusterWithPartitionsOnEveryMaster() {
        Cli.Result r = Cli.plain().run("quickstart", "--cluster", "--jobs", "60");

        assertThat(r.code()).as(r.toString()).isZero();
        Matcher m = Pattern.compile("Redis Cluster: 3 masters on redis-cluster://(\\S+) ").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(r.out()).contains("done: every demo job ran in")
                .containsPattern("TOTAL\\s+57\\s+57\\s+0\\s+0\\s+0\\s+\\d+\\s+0")
                .contains("stopped the local cluster's 3 nodes and removed their data");
        for (String node : m.group(1).split(",")) {
            int port = Integer.parseInt(node.substring(node.indexOf(':') + 1));
            assertThat(LocalRedisProbe.answers(port)).as("nothing answers on port " + port).isFalse();
        }
    }

    @Test
    void worksWithTheEmbeddedRedis() {
        Cli.Result r = Cli.plain().env("JOBRUNNER_QUICKSTART_REDIS", "embedded").run("quickstart", "--jobs", "20", "--slots", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        StartedRedis redis = startedRedis(r.out());
        assertThat(redis.kind()).isEqualTo("embedded");
        assertThat(r.out()).contains("done: every demo job ran in");
        assertGone(redis);
    }

    @Test
    void keepRunningServesUntilStopped() throws Exception {
        Cli.Running running = Cli.plain().start("quickstart", "--jobs", "10", "--keep-running");
        await().atMost(Duration.ofSeconds(60)).until(() -> running.output().contains("Ctrl-C stops everything"));
        StartedRedis redis = startedRedis(running.output());
        assertThat(LocalRedisProbe.answers(redis.port())).isTrue();
        assertThat(running.output()).containsPattern("runner status: +http://127\\.0\\.0\\.1:\\d+/status");

        Cli.Result r = running.stop();
        assertThat(r.code()).as(r.toString()).isZero();
        assertGone(redis);
    }

    @Test
    void aStopRequestMidwayStopsEverythingItStarted() throws Exception {
        Cli.Running running = Cli.plain().start("quickstart", "--jobs", "5000", "--refresh", "100ms");
        await().atMost(Duration.ofSeconds(60)).until(() -> running.output().contains("watching them run"));
        StartedRedis redis = startedRedis(running.output());

        Cli.Result r = running.stop();

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("stopped before the demo finished").contains("stopped the runner").contains("stopped the chron");
        assertGone(redis);
    }

    @Test
    void badSizesAreUsageErrors() {
        Cli.Result r = Cli.plain().run("quickstart", "--jobs", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--jobs must be 1 to 1000000");
    }
}
