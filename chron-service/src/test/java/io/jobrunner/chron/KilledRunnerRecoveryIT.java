package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.RunnerMain;
import io.jobrunner.runner.executor.ExecutionResult;
import io.jobrunner.runner.executor.JobExecutor;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The at-least-once promise end to end: a runner process is SIGKILLed while it runs a job; its claim expires,
 * the chron puts the job back, and a healthy runner runs it again (attempt 2). Nothing is lost.
 */
@ExtendWith(RedisExtension.class)
class KilledRunnerRecoveryIT {

    @TempDir
    Path dir;

    private ChildJvm doomedRunner;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (doomedRunner != null) {
            doomedRunner.close();
        }
    }

    @Test
    void aJobOfAKilledRunnerIsRecycledByTheChronAndRunAgain(TestRedis redis) throws Exception {
        JobRunnerClient client = redis.client();
        Job job = Job.of("slowReport");
        QueueName queue = job.queue();
        client.producer().push(job);

        doomedRunner = startRunnerProcess(redis);
        await("the doomed runner claims the job").atMost(Duration.ofSeconds(60))
                .until(() -> client.inspector().counts(queue).claimed() == 1 || !doomedRunner.isAlive());
        assertThat(doomedRunner.isAlive()).as(doomedRunner.output()).isTrue();

        doomedRunner.process().destroyForcibly(); // SIGKILL: no requeue, no ack, no more heartbeats
        assertThat(doomedRunner.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(client.inspector().counts(queue).claimed()).as("the claim outlives its runner").isEqualTo(1);

        Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString(String.join("\n",
                "jobrunner.limits.claim-ttl { slowReport = 1s }",
                "jobrunner.chron { interval = 100ms, http.enabled = false }",
                "jobrunner.runner { groups.reports { slots = 1, types = [slowReport] }, http.enabled = false, jmx.enabled = false }")), Map.of());
        List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();
        JobExecutor recordingExecutor = context -> {
            attemptsSeen.add(context.attempt());
            return ExecutionResult.success();
        };
        try (Chron chron = Chron.create(config, client, new MetricRegistry());
             Runner healthyRunner = Runner.create(config, client, new MetricRegistry(), ExecutorLookup.of(Map.of("slowReport", recordingExecutor)))) {
            chron.start();
            healthyRunner.start();
            await("the job runs again").atMost(Duration.ofSeconds(30)).until(() -> !attemptsSeen.isEmpty());
            await("and is acked").atMost(Duration.ofSeconds(10)).until(() -> client.inspector().counts(queue).total() == 0);
        }
        assertThat(attemptsSeen).as("run once more, as its second attempt").containsExactly(2);
    }

    private ChildJvm startRunnerProcess(TestRedis redis) throws IOException {
        Path conf = dir.resolve("runner.conf");
        Files.writeString(conf, String.join("\n",
                "jobrunner.redis { uri = \"" + redis.uri() + "\", prefix = \"" + redis.prefix() + "\" }",
                "jobrunner.limits.claim-ttl { slowReport = 1s }",
                "jobrunner.runner { groups.reports { slots = 1, types = [slowReport] }, http.enabled = false, jmx.enabled = false }",
                "jobrunner.executors { slowReport { kind = java, class = \"" + SleepingHandler.class.getName() + "\" } }", ""));
        return ChildJvm.start(dir, "runner", RunnerMain.class, "--config", conf.toString());
    }

}
