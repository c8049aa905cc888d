package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.testing.CommandStats;
import io.jobrunner.testing.RedisClusterExtension;
import io.jobrunner.testing.TestRedis;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One logical queue spread over partitions on a three-master cluster: auto places one partition on each master and
 * the work of a push and drain spreads evenly; keys keep jobs together (order, dedup, root supersession); a changed
 * partition count strands nothing.
 */
@ExtendWith(RedisClusterExtension.class)
class PartitionedQueueIT {

    private static final QueueName BULK = new QueueName("shop", "bulkMail");

    @Test
    void autoPutsOnePartitionOnEachMasterAndNoMasterDoesMoreThan40PercentOfTheWork(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withPartitions(Partitions.NONE.with("bulkMail", Partitions.AUTO)),
                java.time.Clock.systemUTC());
        List<QueueName> partitions = new Partitioner(client.settings().partitions(), () -> masters(client)).partitionsOf(BULK);
        assertThat(partitions).hasSize(3);
        Set<String> owners = new HashSet<>();
        for (QueueName p : partitions) {
            owners.add(client.redis() instanceof io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands<String, String> c
                    ? c.getStatefulConnection().getPartitions().getPartitionBySlot(SlotHash.getSlot(client.keys().queue(p).ready())).getNodeId()
                    : "");
        }
        assertThat(owners).as("one partition per master").hasSize(3);

        Map<String, CommandStats> before = CommandStats.perMaster(client.redis());
        int total = 0;
        for (int batch = 0; batch < 30; batch++) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jobs.add(Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("n", total++)).inDomain("shop"));
            }
            assertThat(client.producer().push(jobs).pushed()).hasSize(20);
        }
        int drained = drain(client, 10);
        assertThat(drained).isEqualTo(total);
        Map<String, CommandStats> after = CommandStats.perMaster(client.redis());

        Map<String, Long> perMaster = new HashMap<>();
        long publishes = 0;
        for (Map.Entry<String, CommandStats> e : after.entrySet()) {
            CommandStats delta = e.getValue().since(before.get(e.getKey()));
            perMaster.put(e.getKey(), delta.total());
            publishes += delta.calls("publish");
        }
        long all = perMaster.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("commands per master for %d jobs pushed and drained in 3 auto partitions: %s (total %d, %d wake-up publishes)%n",
                total, perMaster, all, publishes);
        assertThat(perMaster.values()).allSatisfy(n -> assertThat((double) n / all).as("share of one master").isLessThanOrEqualTo(0.40));
    }

    @Test
    void jobsWithOneKeyShareAPartitionSoOrderDedupAndSupersessionHold(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withPartitions(Partitions.NONE.with("bulkMail", 4)), java.time.Clock.systemUTC());
        // order: one key, one partition, claimed in push order
        List<Job> ordered = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ordered.add(Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("n", i)).inDomain("shop").withPartitionKey("customer-17"));
        }
        client.producer().push(ordered);
        List<QueueName> holding = holding(client);
        assertThat(holding).hasSize(1);
        List<ClaimedJob> claimed = client.consumer().claim(holding.get(0), 10, Duration.ofMinutes(1)).join().jobs();
        assertThat(claimed).extracting(c -> c.job().id()).containsExactlyElementsOf(ordered.stream().map(Job::id).toList());
        client.consumer().ack(holding.get(0), claimed.stream().map(ClaimedJob::ref).toList()).join();

        // dedup: equal jobs meet in one partition, the second is a duplicate
        Job first = Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("page", "Main")).inDomain("shop").deduplicated();
        Job second = Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("page", "Main")).inDomain("shop").deduplicated();
        assertThat(client.producer().push(first).pushed()).containsExactly(first.id());
        assertThat(client.producer().push(second).duplicates()).containsExactly(second.id());

        // jobs without a key go round robin over all four partitions
        List<Job> spread = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            spread.add(Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("m", i)).inDomain("shop"));
        }
        client.producer().push(spread);
        assertThat(holding(client)).hasSize(4);
        Map<QueueName, Long> ready = new HashMap<>();
        for (QueueName q : holding(client)) {
            ready.put(q, client.inspector().counts(q).ready());
        }
        assertThat(ready.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(9);
    }

    @Test
    void fewerPartitionsLaterStrandNothing(TestRedis redis) {
        JobRunnerClient wide = redis.client(redis.settings().withPartitions(Partitions.NONE.with("bulkMail", 6)), java.time.Clock.systemUTC());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("n", i)).inDomain("shop"));
        }
        wide.producer().push(jobs);
        // a producer (and runners) configured with one partition still find every partition in the registry
        JobRunnerClient narrow = redis.client();
        narrow.producer().push(Job.of("bulkMail").inDomain("shop"));
        assertThat(narrow.registry().readyQueues().join().keySet().stream().filter(q -> q.type().equals("bulkMail"))).hasSize(6);
        assertThat(drain(narrow, 5)).isEqualTo(13);
    }

    /** Claims and acks from every ready partition of bulkMail until none is ready; the number of jobs. */
    private static int drain(JobRunnerClient client, int max) {
        int done = 0;
        for (int round = 0; round < 10_000; round++) {
            List<QueueName> ready = client.registry().readyQueues().join().keySet().stream()
                    .filter(q -> q.type().equals("bulkMail")).sorted(java.util.Comparator.comparing(QueueName::toString)).toList();
            int claimedThisRound = 0;
            for (QueueName q : ready) {
                ClaimBatch batch = client.consumer().claim(q, max, Duration.ofMinutes(1)).join();
                if (!batch.jobs().isEmpty()) {
                    client.consumer().ack(q, batch.jobs().stream().map(ClaimedJob::ref).toList()).join();
                    claimedThisRound += batch.jobs().size();
                }
            }
            done += claimedThisRound;
            if (claimedThisRound == 0) {
                return done;
            }
        }
        return done;
    }

    private static List<QueueName> holding(JobRunnerClient client) {
        return client.inspector().queues().stream().filter(q -> q.type().equals("bulkMail"))
                .filter(q -> client.inspector().counts(q).total() > 0).toList();
    }

    private static List<io.lettuce.core.cluster.models.partitions.RedisClusterNode> masters(JobRunnerClient client) {
        var c = (io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands<String, String>) client.redis();
        List<io.lettuce.core.cluster.models.partitions.RedisClusterNode> out = new ArrayList<>();
        for (var node : c.getStatefulConnection().getPartitions()) {
            if (node.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                out.add(node);
            }
        }
        out.sort(java.util.Comparator.comparing(io.lettuce.core.cluster.models.partitions.RedisClusterNode::getNodeId));
        return out;
    }

    @Test
    void aLogicalQueueIsCountedPagedAndSearchedOverItsPartitions(TestRedis redis) {
        JobRunnerClient client = redis.client(redis.settings().withPartitions(Partitions.NONE.with("bulkMail", 3)), java.time.Clock.systemUTC());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // four in each partition, round robin
            jobs.add(Job.of("bulkMail", JsonNodeFactory.instance.objectNode().put("n", i)).inDomain("shop"));
        }
        client.producer().push(jobs);
        List<QueueName> partitions = client.inspector().partitions(BULK.inPartition(2));
        assertThat(partitions).containsExactly(BULK, BULK.inPartition(1), BULK.inPartition(2));
        assertThat(client.inspector().partitions(new QueueName("shop", "none"))).containsExactly(new QueueName("shop", "none"));
        List<String> inOrder = new ArrayList<>();
        for (QueueName p : partitions) {
            client.inspector().list(p, JobState.READY, 0, 10).forEach(j -> inOrder.add(j.id()));
        }

        assertThat(QueueSummary.logical(client.overview().of(partitions))).singleElement()
                .satisfies(s -> assertThat(s.queue()).isEqualTo(BULK)).satisfies(s -> assertThat(s.ready()).isEqualTo(12));
        JobPage across = client.operations().pageOfPartitions(BULK, JobState.READY, 3, 6);
        assertThat(across.queue()).isEqualTo(BULK);
        assertThat(across.total()).isEqualTo(12);
        assertThat(across.jobs()).extracting(JobInfo::id).containsExactlyElementsOf(inOrder.subList(3, 9));
        assertThat(across.jobs()).extracting(JobInfo::queue).containsExactly(BULK, BULK.inPartition(1), BULK.inPartition(1),
                BULK.inPartition(1), BULK.inPartition(1), BULK.inPartition(2));
        assertThat(client.operations().pageOfPartitions(BULK, JobState.READY, 12, 5).jobs()).isEmpty();
        assertThat(client.operations().pageOfPartitions(BULK, JobState.DELAYED, 0, 5).total()).isZero();

        String last = inOrder.get(11);
        assertThat(client.operations().findInPartitions(BULK, last)).get().extracting(JobInfo::queue).isEqualTo(BULK.inPartition(2));
        assertThat(client.operations().find(BULK, last)).as("one partition only").isEmpty();
        assertThat(client.operations().findInPartitions(BULK, "no-such-job")).isEmpty();
    }
}
