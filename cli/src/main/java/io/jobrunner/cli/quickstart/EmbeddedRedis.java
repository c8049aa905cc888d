package io.jobrunner.cli.quickstart;

import redis.embedded.RedisServer;

import java.io.IOException;

/**
 * The quickstart's fallback Redis: the redis-server binaries of {@code com.github.codemonstur:embedded-redis}.
 * They are not in the production jar ({@code cli/target/jobrunner.jar}); {@code bin/jobrunner quickstart}
 * adds {@code quickstart-redis/target/jobrunner-quickstart-redis.jar} to the classpath. Only this class names
 * the library, and it is loaded only after {@link #available()} said the library is there.
 */
final class EmbeddedRedis {

    private static final String SERVER_CLASS = "redis.embedded.RedisServer";

    private EmbeddedRedis() {
    }

    static boolean available() {
        try {
            Class.forName(SERVER_CLASS, false, EmbeddedRedis.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The embedded redis-server binary, extracted to a temporary file (to start cluster nodes with). */
    static java.nio.file.Path binary() throws IOException {
        return redis.embedded.core.ExecutableProvider.newJarResourceProvider().get().toPath();
    }

    /** Starts one on 127.0.0.1 at this port without persistence; closing it stops it. */
    static AutoCloseable start(int port) throws IOException {
        RedisServer server = RedisServer.newRedisServer()
                .port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no")
                .onShutdownForceStop(true)
                .build();
        server.start();
        return server::stop;
    }
}
