package io.jobrunner.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a real Redis: declare a {@link TestRedis} parameter (test method, constructor or lifecycle
 * method) in a class annotated {@code @ExtendWith(RedisExtension.class)}. One server serves the whole test
 * run ({@link RedisServers#startForRun()}); it is stopped when the run ends, whether tests passed or not.
 * Each {@code TestRedis} has its own key prefix, and its clients are closed when its scope ends.
 * <p>
 * With {@code -Djobrunner.test.redis=cluster} the shared server is a local Redis Cluster of three masters
 * ({@link RedisClusterExtension#sharedCluster}), so the same tests check every operation on a cluster.
 */
public final class RedisExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestRedis.class || type == RunningRedis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RunningRedis server = sharedServer(context);
        if (parameter.getParameter().getType() == RunningRedis.class) {
            return server;
        }
        TestRedis testRedis = new TestRedis(server);
        context.getStore(NAMESPACE).put(new Object(), (ExtensionContext.Store.CloseableResource) testRedis::close);
        return testRedis;
    }

    /** The server for this run, started on first use and closed with the root context. */
    public static RunningRedis sharedServer(ExtensionContext context) {
        if (onCluster()) {
            return RedisClusterExtension.sharedCluster(context);
        }
        ServerHolder holder = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("server", key -> new ServerHolder(RedisServers.startForRun()), ServerHolder.class);
        if (holder.server == null) {
            throw new ParameterResolutionException("no Redis server for tests");
        }
        return holder.server;
    }

    /** True when this run's tests use a cluster ({@code -Djobrunner.test.redis=cluster}). */
    public static boolean onCluster() {
        return "cluster".equals(System.getProperty("jobrunner.test.redis"));
    }

    private record ServerHolder(RunningRedis server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
