package io.jobrunner.testing;

import io.jobrunner.client.LocalCluster;

import java.nio.file.Path;

/** A local Redis Cluster a test uses like any {@link RunningRedis}: its URI is the {@code redis-cluster://} form. */
public final class ClusterRedis implements RunningRedis {

    private final LocalCluster cluster;
    private final Path dir;

    ClusterRedis(LocalCluster cluster, Path dir) {
        this.cluster = cluster;
        this.dir = dir;
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
