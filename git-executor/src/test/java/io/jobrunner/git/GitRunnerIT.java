package io.jobrunner.git;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.Lease;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.executor.ExecutorServices;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.service.metrics.MetricName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end: the repository jobs of the seed (add, sync, remove) pushed through queue-client and run by a
 * real {@link Runner} with the git executors built from a {@code jobrunner.executors} config block.
 * <p>
 * The executors are built here with {@link ExecutorServices} (the runner's client and registry) and handed to
 * the runner with {@link ExecutorLookup#of(Map)}, because the runner's config-driven path
 * ({@code Runner.create(config, client, metrics)}, {@code RunnerMain}) does not pass services to factories yet.
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class GitRunnerIT {

    @TempDir
    Path tmp;

    private Path root;
    private OriginRepo origin;
    private JobRunnerClient client;
    private MetricRegistry metrics;
    private Map<String, JobExecutor> executors;
    private Runner runner;

    @BeforeEach
    void setUp(TestRedis redis) throws Exception {
        root = Files.createDirectories(tmp.resolve("git")).toRealPath();
        origin = OriginRepo.create(Files.createDirectories(tmp.resolve("remote")), "labki-pack");
        client = redis.client();
        metrics = new MetricRegistry();
        String common = "root = \"" + root + "\", allowed-schemes = [file]";
        Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString("""
                jobrunner.runner { http.port = 0, jmx.enabled = false, shutdown-grace = 5s, refresh-interval = 200ms }
                jobrunner.runner.groups.repos { slots = 2, types = ["labkiRepo*"] }
                jobrunner.limits { attempts { "*" = 5 }, backoff { "*" { initial = 50ms, max = 100ms } } }
                jobrunner.executors {
                  labkiRepoAdd { kind = git-clone, %s }
                  labkiRepoSync { kind = git-sync, %s, lock-wait = 100ms }
                  labkiRepoRemove { kind = git-remove, %s }
                }
                """.formatted(common, common, common)), Map.of());
        executors = buildExecutors(config.getConfig("jobrunner.executors"), new ExecutorServices(client, metrics));
        runner = Runner.create(config, client, metrics, ExecutorLookup.of(executors));
        runner.start();
    }

    @AfterEach
    void tearDown() {
        runner.close();
        executors.values().forEach(JobExecutor::close);
        origin.close();
    }

    /** What the runner's registry does with {@code jobrunner.executors}, with the services passed. */
    private static Map<String, JobExecutor> buildExecutors(Config block, ExecutorServices services) {
        GitExecutorFactory factory = new GitExecutorFactory();
        Map<String, JobExecutor> built = new LinkedHashMap<>();
        for (Map.Entry<String, com.typesafe.config.ConfigValue> entry : block.root().entrySet()) {
            Config executor = ((ConfigObject) entry.getValue()).toConfig();
            built.put(entry.getKey(), factory.create(executor.getString("kind"), executor, "jobrunner.executors." + entry.getKey(), services));
        }
        return built;
    }

    @Test
    void addSyncAndRemoveRunThroughTheRunner() throws Exception {
        push("labkiRepoAdd", "url", origin.fileUrl());
        awaitDone("labkiRepoAdd");
        assertThat(head("labki-pack")).isEqualTo(origin.head());

        ObjectId next = origin.commit("pages/Main.wiki", "v2\n", "new content");
        push("labkiRepoSync", "name", "labki-pack");
        awaitDone("labkiRepoSync");
        assertThat(head("labki-pack")).isEqualTo(next);
        assertThat(metrics.timer(MetricName.of("jobrunner_git_operation_seconds", "operation", "sync")).getCount()).isEqualTo(1);
        assertThat(metrics.meter(MetricName.of("jobrunner_jobs_succeeded", "type", "labkiRepoSync")).getCount()).isEqualTo(1);

        GitRepositoryStatus status = ((GitExecutor) executors.get("labkiRepoSync")).repositoryStatus();
        assertThat(status.repository("labki-pack").commit()).isEqualTo(next.name());

        push("labkiRepoRemove", "url", origin.fileUrl());
        awaitDone("labkiRepoRemove");
        assertThat(root.resolve("labki-pack")).doesNotExist();
        assertThat(status.repositories()).isEmpty();
    }

    @Test
    void badJobsAreAbandonedAtOnceWithTheReason() throws Exception {
        push("labkiRepoAdd", "url", origin.fileUrl(), "name", "../escape");
        QueueName queue = new QueueName(Job.DEFAULT_DOMAIN, "labkiRepoAdd");
        await().atMost(Duration.ofSeconds(20)).until(() -> client.inspector().counts(queue).abandoned() == 1);

        JobInfo info = client.inspector().list(queue, JobState.ABANDONED, 1).get(0);
        assertThat(info.attempts()).isEqualTo(1);
        assertThat(info.lastError()).contains("permanent failure", "param 'name' '../escape' is not allowed");
        assertThat(Files.list(tmp)).doesNotContain(tmp.resolve("escape"));
    }

    @Test
    void lockContentionIsRetriedByTheRunnerUntilTheLockIsFree() throws Exception {
        push("labkiRepoAdd", "url", origin.fileUrl());
        awaitDone("labkiRepoAdd");
        ObjectId next = origin.commit("n.txt", "n\n", "next");
        Lease held = client.lease(RepositoryLock.key(client, "labki-pack"));
        assertThat(held.tryAcquire(Duration.ofMinutes(1))).isTrue();
        QueueName queue = new QueueName(Job.DEFAULT_DOMAIN, "labkiRepoSync");

        push("labkiRepoSync", "name", "labki-pack");
        await().atMost(Duration.ofSeconds(20)).until(() -> !client.inspector().list(queue, JobState.DELAYED, 1).isEmpty());
        JobInfo delayed = client.inspector().list(queue, JobState.DELAYED, 1).get(0);
        assertThat(delayed.lastError()).contains("repository 'labki-pack' is busy");
        assertThat(head("labki-pack")).isNotEqualTo(next);

        assertThat(held.release()).isTrue();
        // no chron here: promote the delayed retry ourselves until it has run
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            client.maintenance().promote(queue).join();
            return client.inspector().counts(queue).total() == 0;
        });
        assertThat(head("labki-pack")).isEqualTo(next);
    }

    private void push(String type, String... keyValues) {
        ObjectNode params = TestContext.params(keyValues);
        client.producer().push(Job.of(type, params));
    }

    private void awaitDone(String type) {
        QueueName queue = new QueueName(Job.DEFAULT_DOMAIN, type);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.inspector().counts(queue).total() == 0
                && metrics.meter(MetricName.of("jobrunner_jobs_succeeded", "type", type)).getCount() >= 1);
    }

    private ObjectId head(String name) throws IOException {
        try (Git git = Git.open(root.resolve(name).toFile())) {
            return git.getRepository().resolve("HEAD");
        }
    }

}
