package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.LocalCluster;
import io.jobrunner.runner.ExecutorLookup;
import io.jobrunner.runner.Runner;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.testing.ClusterRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A runner's one wake-up subscription lives on one node of a cluster (a master or a replica). That node is
 * SIGKILLed, and the subscription must come back on a live node by itself, so an idle runner still hears of a push at
 * once. The runner re-reads the ready registry only every 60 s here, so a job that starts within 20 s of its push
 * was started by a wake-up, not by the re-read.
 */
class WakeUpFailoverIT {

    private static final String CONFIG = String.join("\n",
            "jobrunner.runner { groups.all { slots = 2, types = [drain] }, refresh-interval = 60s, http.enabled = false, jmx.enabled = false }",
            "jobrunner.executors { drain { kind = java, class = \"" + RecordingHandler.class.getName() + "\" } }");

    @Test
    void theSubscriptionMovesToALiveNodeWhenItsNodeDies() throws Exception {
        RecordingHandler.RAN.clear();
        try (ClusterRedis cluster = ClusterRedis.start(3, 1)) {
            ClientSettings settings = ClientSettings.of(cluster.uri()).withPrefix("wake-failover");
            Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString(CONFIG), Map.of());
            ExecutorLookup executors = ExecutorLookup.of(ExecutorRegistry.load(config.getConfig("jobrunner.executors"), "jobrunner.executors"));
            try (JobRunnerClient producer = JobRunnerClient.connect(settings);
                 JobRunnerClient runnerClient = JobRunnerClient.connect(settings);
                 Runner runner = Runner.create(config, runnerClient, new MetricRegistry(), executors)) {
                runner.start();
                String first = producer.producer().push(Job.of("drain", Map.of("n", 1))).pushed().get(0);
                await("a wake-up before the failover").atMost(Duration.ofSeconds(20)).until(() -> RecordingHandler.RAN.contains(first));

                LocalCluster.Node subscribed = nodeWithASubscriber(cluster.cluster().nodes());
                cluster.cluster().kill(subscribed);
                await("the subscription is back on a live node").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> nodeWithASubscriber(live(cluster.cluster(), subscribed)) != null);

                String after = await("pushes work again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> producer.producer().push(Job.of("drain", Map.of("n", 2))).pushed(), p -> p.size() == 1)
                        .get(0);
                await("a wake-up after the failover, long before the registry's re-read").atMost(Duration.ofSeconds(20))
                        .until(() -> RecordingHandler.RAN.contains(after));
            }
        }
    }

    private static List<LocalCluster.Node> live(LocalCluster cluster, LocalCluster.Node dead) {
        return cluster.nodes().stream().filter(n -> n.port() != dead.port()).toList();
    }

    /** The node holding a connection subscribed to a channel (CLIENT LIST: {@code sub=} above 0), or null. */
    private static LocalCluster.Node nodeWithASubscriber(List<LocalCluster.Node> nodes) {
        RedisClient admin = RedisClient.create();
        try {
            for (LocalCluster.Node node : nodes) {
                try (var c = admin.connect(RedisURI.create("127.0.0.1", node.port()))) {
                    if (c.sync().clientList().lines().anyMatch(line -> line.matches(".* sub=[1-9].*"))) {
                        return node;
                    }
                }
            }
            return null;
        } finally {
            admin.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }
}
