package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.LocalCluster;
import io.jobrunner.client.Partitions;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.testing.ClusterRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of three masters with a replica each; one queue in a partition per master; a runner and a chron
 * draining it. One master is SIGKILLed mid-drain: its replica takes over, the runner and the chron carry on without a
 * restart, and every job whose push was confirmed by a replica ({@link JobProducer#waitingForReplicas}) runs (claims
 * and acks the dead master had not replicated only make some jobs run twice).
 */
class ClusterFailoverIT {

    private static final String CONFIG = String.join("\n",
            "jobrunner.limits.claim-ttl { \"*\" = 2s }",
            "jobrunner.runner { groups.all { slots = 4, types = [drain] }, refresh-interval = 200ms, http.enabled = false, jmx.enabled = false }",
            "jobrunner.chron { interval = 200ms, http.enabled = false }",
            "jobrunner.executors { drain { kind = java, class = \"" + RecordingHandler.class.getName() + "\" } }");

    @Test
    void aMasterKilledMidDrainLosesNoConfirmedPush() throws Exception {
        RecordingHandler.RAN.clear();
        try (ClusterRedis cluster = ClusterRedis.start(3, 1)) {
            ClientSettings settings = ClientSettings.of(cluster.uri()).withPrefix("failover")
                    .withPartitions(Partitions.NONE.with("drain", Partitions.AUTO));
            Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString(CONFIG), Map.of());
            ExecutorLookup executors = ExecutorLookup.of(ExecutorRegistry.load(config.getConfig("jobrunner.executors"), "jobrunner.executors"));
            try (JobRunnerClient producerClient = JobRunnerClient.connect(settings);
                 JobRunnerClient chronClient = JobRunnerClient.connect(settings);
                 JobRunnerClient runnerClient = JobRunnerClient.connect(settings);
                 Chron chron = Chron.create(config, chronClient, new MetricRegistry());
                 Runner runner = Runner.create(config, runnerClient, new MetricRegistry(), executors)) {
                JobProducer durable = producerClient.producer().waitingForReplicas(1, Duration.ofSeconds(5));
                Set<String> confirmed = new HashSet<>(push(durable, 1500, "before"));
                assertThat(producerClient.inspector().queues()).as("a partition on each master").hasSize(3);

                chron.start();
                runner.start();
                await("the drain is under way").atMost(Duration.ofSeconds(60)).until(() -> RecordingHandler.RAN.size() >= 300);
                LocalCluster.Node victim = cluster.cluster().nodes().get(0);
                cluster.cluster().kill(victim);
                await("a replica replaces the dead master").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> cluster.cluster().currentMasters().size() == 3);

                // producers go on by themselves too: the client follows the new topology (plain pushes: the promoted
                // master has no replica left to confirm a durable one)
                List<String> after = new ArrayList<>();
                await("pushes work again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> after.addAll(push(producerClient.producer(), 30, "after")));
                confirmed.addAll(after);

                try {
                    await("every confirmed push has run").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                            .until(() -> RecordingHandler.RAN.containsAll(confirmed));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    Set<String> missing = new HashSet<>(confirmed);
                    missing.removeAll(RecordingHandler.RAN);
                    StringBuilder state = new StringBuilder("ran " + RecordingHandler.RAN.size() + " of " + confirmed.size()
                            + ", missing e.g. " + missing.stream().limit(5).toList() + "; queues:");
                    for (var q : producerClient.inspector().queues()) {
                        state.append(' ').append(producerClient.inspector().counts(q));
                    }
                    state.append("; ready registry ").append(producerClient.registry().readyQueues().join());
                    throw new AssertionError(state.toString(), e);
                }
                await("the runner is healthy again, without a restart").atMost(Duration.ofSeconds(30)).until(runner::isHealthy);
                await("the chron leads on").atMost(Duration.ofSeconds(30)).until(chron::isLeader);
            }
        }
    }

    private static List<String> push(JobProducer producer, int n, String tag) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(Job.of("drain", Map.of("tag", tag, "n", i)));
        }
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < n; from += 100) {
            ids.addAll(producer.push(jobs.subList(from, Math.min(n, from + 100))).pushed());
        }
        return ids;
    }
}
