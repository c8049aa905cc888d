package io.jobrunner.testing;

import io.jobrunner.client.JobRunnerClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

/**
 * Commands on the one server that holds a key: the client's own connection on a standalone Redis, the master
 * serving the key's slot on a cluster. For tests of per-server state (the script cache) that a cluster keeps per node.
 */
public final class NodeOfKey {

    private NodeOfKey() {
    }

    public static RedisClusterCommands<String, String> commands(JobRunnerClient client, String key) {
        if (client.redis() instanceof RedisAdvancedClusterCommands<String, String> cluster) {
            RedisClusterNode node = cluster.getStatefulConnection().getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
            return cluster.getConnection(node.getNodeId());
        }
        return client.redis();
    }
}
