package io.jobrunner.client;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One process's connection to Redis, whatever its topology ({@link RedisEndpoint}): a standalone server, a Sentinel
 * master, or a Redis Cluster. Everything above it sees the commands every topology has
 * ({@link RedisClusterAsyncCommands}); on a cluster Lettuce routes each command and script by its first key's slot,
 * loads scripts on every master, and runs {@code SCAN} over every master in turn.
 * <ol>
 *   <li>rejects commands at once while disconnected (callers see {@link ErrorCode#REDIS_UNAVAILABLE}), reconnects
 *       within {@link #RECONNECT_DELAY_MAX} of Redis's return;</li>
 *   <li>on a cluster, re-reads the topology every {@link #TOPOLOGY_REFRESH} and at once on {@code MOVED}, {@code ASK}
 *       or repeated reconnects (a failover), so a promoted replica serves its slots without a restart;</li>
 *   <li>opens pub/sub connections: on a cluster a message published on any node reaches subscribers on every node.</li>
 * </ol>
 */
public final class RedisConnection implements AutoCloseable {

    /** Longest wait between two reconnect attempts. */
    static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(2);
    /** Periodic re-read of a cluster's topology (besides the adaptive triggers). */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

    private final RedisEndpoint endpoint;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisClusterCommands<String, String> sync;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> pubSub;

    private RedisConnection(RedisEndpoint endpoint, ClientResources resources, AbstractRedisClient client,
                            StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> async,
                            RedisClusterCommands<String, String> sync, Supplier<StatefulRedisPubSubConnection<String, String>> pubSub) {
        this.endpoint = endpoint;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.async = async;
        this.sync = sync;
        this.pubSub = pubSub;
    }

    /** Connects (failing fast when Redis is not there) with the settings' timeouts. */
    static RedisConnection open(RedisEndpoint endpoint, ClientSettings settings) {
        endpoint.seeds().forEach(uri -> uri.setTimeout(settings.commandTimeout()));
        // Lettuce's default reconnect delay doubles to 30 s: after a long outage a process would then wait up to 30 s
        // more once Redis is back. Capped at 2 s, a daemon reconnects within 2 s of Redis's return.
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        AbstractRedisClient client = null;
        try {
            if (endpoint.cluster()) {
                RedisClusterClient cluster = RedisClusterClient.create(resources, endpoint.seeds());
                client = cluster;
                cluster.setOptions(clusterOptions(settings));
                StatefulRedisClusterConnection<String, String> c = cluster.connect();
                return new RedisConnection(endpoint, resources, cluster, c, c.async(), c.sync(), cluster::connectPubSub);
            }
            RedisClient single = RedisClient.create(resources, endpoint.seeds().get(0));
            client = single;
            single.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                    .socketOptions(socketOptions(settings))
                    .build());
            StatefulRedisConnection<String, String> c = single.connect();
            return new RedisConnection(endpoint, resources, single, c, c.async(), c.sync(), single::connectPubSub);
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown(0, 1, TimeUnit.SECONDS);
            }
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static ClusterClientOptions clusterOptions(ClientSettings settings) {
        ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                .enableAllAdaptiveRefreshTriggers()
                // the default (30 s) would hold back the refresh that follows a failover
                .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                .refreshTriggersReconnectAttempts(3)
                .build();
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .socketOptions(socketOptions(settings))
                .topologyRefreshOptions(refresh)
                .build();
    }

    private static SocketOptions socketOptions(ClientSettings settings) {
        return SocketOptions.builder().connectTimeout(settings.connectTimeout()).keepAlive(true).build();
    }

    public RedisEndpoint endpoint() {
        return endpoint;
    }

    public boolean isCluster() {
        return endpoint.cluster();
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /**
     * The connection with the commands only a single server has ({@code MULTI}, {@code SELECT}), for code that works on
     * foreign key layouts without hash tags; refused on a cluster.
     */
    @SuppressWarnings("unchecked")
    public StatefulRedisConnection<String, String> standalone() {
        if (endpoint.cluster()) {
            throw new IllegalStateException("this needs a standalone Redis or Sentinel, not a Redis Cluster ("
                    + endpoint.describe() + ")");
        }
        return (StatefulRedisConnection<String, String>) connection;
    }

    /** Ids of the cluster's masters as the client sees them now, sorted; empty on a standalone Redis. */
    public List<String> masterIds() {
        return masters().stream().map(RedisClusterNode::getNodeId).toList();
    }

    /** The cluster's masters serving slots, as the client sees them now, sorted by node id; empty on a standalone Redis. */
    public List<RedisClusterNode> masters() {
        if (!(connection instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            return List.of();
        }
        List<RedisClusterNode> out = new ArrayList<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)
                    && !node.getSlots().isEmpty()) {
                out.add(node);
            }
        }
        out.sort(java.util.Comparator.comparing(RedisClusterNode::getNodeId));
        return out;
    }

    /** Commands on one cluster node (by id), for what each master does alone ({@code SCAN}, {@code INFO}). */
    public CompletableFuture<RedisClusterAsyncCommands<String, String>> nodeAsync(String nodeId) {
        if (!(connection instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            throw new IllegalStateException("node commands need a Redis Cluster");
        }
        return cluster.getConnectionAsync(nodeId).thenApply(StatefulRedisConnection::async);
    }

    /**
     * {@code WAIT replicas timeout} on the server holding {@code key} (on a cluster, the master serving its slot, over
     * the same connection the key's writes went through): how many replicas have every write sent before it.
     */
    public CompletableFuture<Long> waitForReplicas(String key, int replicas, long timeoutMillis) {
        if (!(connection instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            return async.waitForReplication(replicas, timeoutMillis).toCompletableFuture();
        }
        RedisClusterNode node = cluster.getPartitions().getPartitionBySlot(io.lettuce.core.cluster.SlotHash.getSlot(key));
        if (node == null) {
            return CompletableFuture.failedFuture(new io.lettuce.core.RedisConnectionException("no master serves the slot of " + key));
        }
        return nodeAsync(node.getNodeId()).thenCompose(c -> c.waitForReplication(replicas, timeoutMillis).toCompletableFuture());
    }

    /** A new pub/sub connection (subscriptions need their own); the caller closes it. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return pubSub.get();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
