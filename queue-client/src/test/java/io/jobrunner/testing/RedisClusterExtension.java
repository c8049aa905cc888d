package io.jobrunner.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real local Redis Cluster (three masters, no replicas): declare a {@link TestRedis},
 * {@link RunningRedis} or {@link ClusterRedis} parameter in a class annotated
 * {@code @ExtendWith(RedisClusterExtension.class)}. One cluster serves every such test of the run (starting one costs
 * about a second); it is stopped when the run ends. Tests that kill a node start their own with
 * {@link ClusterRedis#start(int, int)}.
 */
public final class RedisClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestRedis.class || type == RunningRedis.class || type == ClusterRedis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClusterRedis cluster = sharedCluster(context);
        if (parameter.getParameter().getType() != TestRedis.class) {
            return cluster;
        }
        TestRedis testRedis = new TestRedis(cluster);
        context.getStore(NAMESPACE).put(new Object(), (ExtensionContext.Store.CloseableResource) testRedis::close);
        return testRedis;
    }

    /** The cluster for this run, started on first use and stopped with the root context. */
    public static ClusterRedis sharedCluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("cluster", key -> new Holder(ClusterRedis.start(3, 0)), Holder.class).cluster;
    }

    private record Holder(ClusterRedis cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
