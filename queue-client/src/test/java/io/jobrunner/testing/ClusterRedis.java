package io.jobrunner.testing;

import io.jobrunner.client.LocalCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A local Redis Cluster a test uses like any {@link RunningRedis}: its URI is the {@code redis-cluster://} form. */
public final class ClusterRedis implements RunningRedis {

    private final LocalCluster cluster;
    private final Path dir;

    private ClusterRedis(LocalCluster cluster, Path dir) {
        this.cluster = cluster;
        this.dir = dir;
    }

    /**
     * A local Redis Cluster for the caller alone: {@code masters} primaries, each with {@code replicasPerMaster}
     * replicas, from the {@code redis-server} on PATH, else the embedded binary. Stopped by {@link #close()} (or, as a
     * last resort, by the fixture's shutdown hook).
     */
    public static ClusterRedis start(int masters, int replicasPerMaster) {
        Path binary = RedisServers.findRedisServerOnPath().orElseGet(RedisServers::embeddedBinary);
        Path dir;
        try {
            dir = Files.createTempDirectory("jobrunner-cluster-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory for the cluster", e);
        }
        ClusterRedis cluster = new ClusterRedis(LocalCluster.start(binary, masters, replicasPerMaster, dir), dir);
        RedisServers.track(cluster);
        return cluster;
    }

    /** The processes, for tests that kill a master. */
    public LocalCluster cluster() {
        return cluster;
    }

    @Override
    public String uri() {
        return cluster.uri();
    }

    @Override
    public String kind() {
        return "cluster";
    }

    @Override
    public boolean isRunning() {
        return cluster.nodes().stream().anyMatch(n -> n.process().isAlive());
    }

    @Override
    public void close() {
        cluster.close();
        RedisServers.deleteTree(dir);
        RedisServers.untrack(this);
    }

    @Override
    public String toString() {
        return "local cluster " + cluster.uri();
    }
}
