package io.jobrunner.client;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * Picks the partition a producer pushes a job to ({@link Partitions}). A fixed count {@code P} means partitions 0 to
 * {@code P - 1}, whose hash tags fall on the masters as hashing has them. {@link Partitions#AUTO} means one partition
 * per master, chosen so that it lives there: for each master (in node id order) the lowest partition number whose
 * hash tag's slot that master serves. So one busy type uses every master evenly; after a resharding or a failover the
 * choice follows the new topology, and partitions no longer chosen are drained like any other queue. A job with a key goes to the partition of the
 * key's hash, so jobs with one key keep their order (FIFO holds within a partition) and the per-queue rules keep their
 * meaning: the key is, first found, the job's partition key ({@link Job#withPartitionKey}), its root signature (every
 * root of one signature lands in one partition, where the newest supersedes the older ones), its dedup key (equal jobs
 * meet in one partition and are de-duplicated there). Other jobs go round robin, one partition after the other per type.
 * <p>
 * A changed count routes a key anew: while jobs pushed before the change still wait, one more job of that key may be
 * stored (in the new partition) instead of being dropped as a duplicate or superseded.
 */
final class Partitioner {

    private final Partitions partitions;
    private final Supplier<List<RedisClusterNode>> masters;
    private final Map<String, AtomicInteger> next = new ConcurrentHashMap<>();
    private final Map<QueueName, Placed> placed = new ConcurrentHashMap<>();

    /** The partitions of one queue placed on the masters, and the topology they were placed for. */
    private record Placed(List<String> masterIds, List<QueueName> partitions) {
    }

    /** @param masters the cluster's masters sorted by node id (empty on a single Redis) */
    Partitioner(Partitions partitions, Supplier<List<RedisClusterNode>> masters) {
        this.partitions = partitions;
        this.masters = masters;
    }

    QueueName queueOf(Job job) {
        QueueName queue = job.queue();
        List<QueueName> choice = partitionsOf(queue);
        int count = choice.size();
        if (count == 1) {
            return choice.get(0);
        }
        String key = job.partitionKey();
        if (key == null && job.root() != null) {
            key = job.root().signature();
        }
        if (key == null) {
            key = job.dedupKey();
        }
        int p = key == null
                ? Math.floorMod(next.computeIfAbsent(job.type(), t -> new AtomicInteger()).getAndIncrement(), count)
                : (int) (hash(key) % count);
        return choice.get(p);
    }

    /** The partitions a job of this queue may go to: 0 to P - 1, or one per master for auto. */
    List<QueueName> partitionsOf(QueueName queue) {
        if (!partitions.isAuto(queue.type())) {
            int count = partitions.count(queue.type(), 1);
            return count == 1 ? List.of(queue) : IntStream.range(0, count).mapToObj(queue::inPartition).toList();
        }
        List<RedisClusterNode> nodes = masters.get();
        if (nodes.size() <= 1) {
            return List.of(queue);
        }
        List<String> ids = nodes.stream().map(RedisClusterNode::getNodeId).toList();
        Placed known = placed.get(queue);
        if (known != null && known.masterIds().equals(ids)) {
            return known.partitions();
        }
        List<QueueName> chosen = new ArrayList<>();
        for (RedisClusterNode node : nodes) {
            for (int p = 0; p < QueueName.MAX_PARTITIONS; p++) {
                QueueName candidate = queue.inPartition(p);
                if (node.hasSlot(SlotHash.getSlot(candidate.toString()))) {
                    chosen.add(candidate);
                    break;
                }
            }
        }
        placed.put(queue, new Placed(ids, List.copyOf(chosen)));
        return chosen;
    }

    private static long hash(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
