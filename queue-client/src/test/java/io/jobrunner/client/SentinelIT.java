package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.testing.RedisProcess;
import io.jobrunner.testing.SentinelProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client through a real Redis Sentinel ({@code redis-sentinel://host:port#mymaster}): jobs pushed before a
 * failover are claimed from the promoted replica after it, with no change to the client.
 */
class SentinelIT {

    @Test
    void jobsFlowThroughSentinelAndAcrossAFailover(@TempDir Path dir) throws Exception {
        try (RedisProcess master = RedisProcess.onFreePort(dir.resolve("master")).start()) {
            try (RedisProcess replica = RedisProcess.onFreePort(dir.resolve("replica"),
                    "--replicaof", "127.0.0.1", Integer.toString(master.port())).start();
                 SentinelProcess sentinel = SentinelProcess.watching(master.port(), dir.resolve("sentinel"));
                 JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(sentinel.uri()).withPrefix("sentinel-it"))) {
                assertThat(client.endpoint().cluster()).isFalse();
                List<Job> jobs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    jobs.add(Job.of("report", JsonNodeFactory.instance.objectNode().put("n", i)));
                }
                assertThat(client.producer().push(jobs).pushed()).hasSize(5);
                // the replica may still be in its first sync on a busy machine: WAIT again until it acknowledges
                await().atMost(Duration.ofSeconds(30)).until(() -> client.redis().waitForReplication(1, 1000) == 1L);

                RedisClient admin = RedisClient.create();
                try (var toSentinel = admin.connectSentinel(RedisURI.create("redis://127.0.0.1:" + sentinel.port()))) {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                            .until(() -> toSentinel.sync().replicas(SentinelProcess.MASTER_NAME).size() == 1);
                    toSentinel.sync().failover(SentinelProcess.MASTER_NAME);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                            .until(() -> ((java.net.InetSocketAddress) toSentinel.sync().getMasterAddrByName(SentinelProcess.MASTER_NAME)).getPort() == replica.port());
                    // the old master accepts writes until Sentinel has turned it into a replica: wait for that
                    try (var toOldMaster = admin.connect(RedisURI.create(master.uri()))) {
                        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                                .until(() -> toOldMaster.sync().info("replication").contains("role:slave"));
                    }
                } finally {
                    admin.shutdown(0, 1, TimeUnit.SECONDS);
                }

                // the client finds the new master through Sentinel by itself; the jobs came along by replication
                List<ClaimedJob> claimed = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    claimed.addAll(client.consumer().claim(jobs.get(0).queue(), 10, Duration.ofSeconds(60)).join().jobs());
                    return claimed.size() == 5;
                });
                assertThat(claimed).extracting(c -> c.job().id()).containsExactlyInAnyOrderElementsOf(jobs.stream().map(Job::id).toList());
                assertThat(client.consumer().ack(jobs.get(0).queue(), claimed.stream().map(ClaimedJob::ref).toList()).join().acked())
                        .isEqualTo(5);
                assertThat(client.redis().info("server")).contains("tcp_port:" + replica.port());
            }
        }
    }
}
