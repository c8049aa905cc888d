package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.RunnerMain;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.service.ConfigLoader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster-wide cap of 2 jobs of a type across 3 runners of 2 slots each (6 slots could run 6 at once), one of
 * them a process SIGKILLed while it runs a job: at no time do more than 2 run, the dead runner's permit comes back
 * when its claim would have expired (no leak: the survivors use the full cap again), and every job completes.
 */
@ExtendWith(RedisExtension.class)
class ClusterCapIT {

    private static final String TYPE = "capped";
    private static final String RUNNER = String.join("\n",
            "jobrunner.limits.claim-ttl { capped = 1s }",
            "jobrunner.runner { groups.all { slots = 2, types = [capped] }, refresh-interval = 100ms,",
            "  concurrency.cluster-per-type { capped = 2 }, http.enabled = false, jmx.enabled = false }",
            "jobrunner.executors { capped { kind = java, class = \"" + RunningProbeHandler.class.getName() + "\" } }");

    @TempDir
    Path dir;

    private ChildJvm doomed;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (doomed != null) {
            doomed.close();
        }
    }

    @Test
    void aCapOfTwoHoldsAcrossThreeRunnersWithOneKilledMidRun(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        QueueName queue = new QueueName("default", TYPE);
        String running = "{" + redis.prefix() + ":probe}:running"; // one hash tag: the probe's script takes it and its :max
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            jobs.add(Job.of(TYPE, JobCodec.mapper().createObjectNode().put("redis", redis.uri()).put("running", running)
                    .put("sleepMs", 200).put("seq", i)));
        }
        client.producer().push(jobs);

        doomed = startRunnerProcess(redis);
        await("the doomed runner runs a job").atMost(Duration.ofSeconds(60))
                .until(() -> runningIn(client, running, doomed.process().pid()) > 0 || !doomed.isAlive());
        assertThat(doomed.isAlive()).as(doomed.output()).isTrue();

        Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString(RUNNER + "\n"
                + "jobrunner.chron { interval = 100ms, http.enabled = false }"), Map.of());
        try (Chron chron = Chron.create(config, redis.client(), new MetricRegistry());
             Runner a = Runner.create(config, redis.client(), new MetricRegistry(), executors(config));
             Runner b = Runner.create(config, redis.client(), new MetricRegistry(), executors(config))) {
            chron.start();
            a.start();
            b.start();
            await("the survivors run jobs too").atMost(Duration.ofSeconds(20)).until(() -> client.inspector().counts(queue).total() < 20);

            await("the doomed runner is in a job").atMost(Duration.ofSeconds(20))
                    .until(() -> runningIn(client, running, doomed.process().pid()) > 0);
            doomed.process().destroyForcibly(); // SIGKILL mid-run: its claim and its permit are left to expire
            assertThat(doomed.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            forgetRunsOf(client, running, doomed.process().pid()); // the probe cannot say it stopped; the process is gone

            await("every job completes, the killed one recycled").atMost(Duration.ofSeconds(60))
                    .until(() -> client.inspector().counts(queue).total() == 0);
        }
        assertThat(client.redis().get(running + ":max")).as("most jobs running at once, across the three runners").isEqualTo("2");
        assertThat(client.redis().zcard(client.keys().typePermits(TYPE))).as("no permit left behind").isZero();
    }

    private static ExecutorLookup executors(Config config) {
        return ExecutorLookup.of(ExecutorRegistry.load(config.getConfig("jobrunner.executors"), "jobrunner.executors"));
    }

    private static long runningIn(JobRunnerClient client, String running, long pid) {
        return client.redis().smembers(running).stream().filter(m -> m.startsWith(pid + ":")).count();
    }

    private static void forgetRunsOf(JobRunnerClient client, String running, long pid) {
        client.redis().smembers(running).stream().filter(m -> m.startsWith(pid + ":")).forEach(m -> client.redis().srem(running, m));
    }

    private ChildJvm startRunnerProcess(TestRedis redis) throws IOException {
        Path conf = dir.resolve("runner.conf");
        Files.writeString(conf, String.join("\n",
                "jobrunner.redis { uri = \"" + redis.uri() + "\", prefix = \"" + redis.prefix() + "\" }", RUNNER,
                "jobrunner.runner.groups.all.slots = 1", ""));
        return ChildJvm.start(dir, "runner", RunnerMain.class, "--config", conf.toString());
    }
}
