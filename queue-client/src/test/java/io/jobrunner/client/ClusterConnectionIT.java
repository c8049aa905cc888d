package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.testing.ClusterRedis;
import io.jobrunner.testing.RedisClusterExtension;
import io.jobrunner.testing.TestRedis;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client on a three-master Redis Cluster: connecting by seed nodes, and one job's way through queues on every master. */
@ExtendWith(RedisClusterExtension.class)
class ClusterConnectionIT {

    @Test
    void theClusterFormIsParsedIntoSeedNodes() {
        RedisEndpoint endpoint = RedisEndpoint.parse("rediss-cluster://app:s3cret@10.0.0.1:7000,10.0.0.2:7001");
        assertThat(endpoint.cluster()).isTrue();
        assertThat(endpoint.seeds()).hasSize(2);
        assertThat(endpoint.seeds().get(1).getHost()).isEqualTo("10.0.0.2");
        assertThat(endpoint.seeds().get(1).getPort()).isEqualTo(7001);
        assertThat(endpoint.seeds().get(0).isSsl()).isTrue();
        assertThat(endpoint.seeds().get(0).getUsername()).isEqualTo("app");
        assertThat(new String(endpoint.seeds().get(0).getPassword())).isEqualTo("s3cret");
        assertThat(RedisEndpoint.parse("redis://127.0.0.1:6379").cluster()).isFalse();
    }

    @Test
    void aBadClusterUriIsRefusedWithWhatIsWrongAndThePasswordMasked() {
        assertThatThrownBy(() -> RedisEndpoint.parse("redis-cluster://app:s3cret@10.0.0.1:7000/2"))
                .hasMessageContaining("no database number").hasMessageContaining("app:***@").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisEndpoint.parse("redis-cluster://10.0.0.1"))
                .hasMessageContaining("'10.0.0.1' must be host:port");
        assertThatThrownBy(() -> RedisEndpoint.parse("redis-cluster://"))
                .hasMessageContaining("at least one seed node");
    }

    @Test
    void jobsOfQueuesOnEveryMasterArePushedClaimedAndAcked(TestRedis redis, ClusterRedis cluster) {
        JobRunnerClient client = redis.client();
        assertThat(client.endpoint().cluster()).isTrue();
        List<Job> jobs = new java.util.ArrayList<>();
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            Job job = Job.of("mail" + i, JsonNodeFactory.instance.objectNode().put("n", i)).inDomain("shop");
            jobs.add(job);
            slots.add(SlotHash.getSlot(client.keys().queue(job.queue()).ready()));
        }
        // twelve queues land on all three masters (each holds a third of the slots)
        assertThat(slots.stream().map(s -> s * 3 / 16384).distinct()).hasSize(3);

        PushResult pushed = client.producer().push(jobs);
        assertThat(pushed.pushed()).hasSize(12);
        assertThat(client.registry().readyQueues().join().keySet()).containsAll(jobs.stream().map(Job::queue).toList());
        assertThat(client.registry().allKnownQueues()).containsAll(jobs.stream().map(Job::queue).toList());

        for (Job job : jobs) {
            ClaimBatch batch = client.consumer().claim(job.queue(), 10, Duration.ofSeconds(60)).join();
            assertThat(batch.jobs()).extracting(c -> c.job().id()).containsExactly(job.id());
            assertThat(client.consumer().ack(job.queue(), List.of(batch.jobs().get(0).ref())).join().acked()).isEqualTo(1);
            assertThat(client.inspector().counts(job.queue()).total()).isZero();
        }
        assertThat(cluster.cluster().currentMasters()).hasSize(3);
    }

    @Test
    void theKeyspaceSweepFindsLostRegistrationsOnEveryMaster(TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> jobs = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(Job.of("lost" + i, JsonNodeFactory.instance.objectNode().put("n", i)));
        }
        client.producer().push(jobs);
        // the registrations are lost (as a failover that kept the pushes but not the SADD would)
        client.redis().del(client.keys().queues());

        Set<QueueName> added = new HashSet<>();
        String cursor = "0";
        for (int step = 0; step < 1000 && cursor != null; step++) {
            QueueRegistry.SweepPage page = client.registry().sweepStored(cursor, 10).join();
            added.addAll(page.added());
            cursor = page.nextCursor();
        }
        assertThat(cursor).as("the sweep ends").isNull();
        assertThat(added).containsAll(jobs.stream().map(Job::queue).toList());
        assertThat(client.registry().allKnownQueues()).containsAll(jobs.stream().map(Job::queue).toList());
    }
}
