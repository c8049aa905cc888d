package io.jobrunner.testing;

/** A Redis server a test can use; {@link #close()} stops it if the fixture started it. */
public interface RunningRedis extends AutoCloseable {

    /** {@code redis://127.0.0.1:PORT} (or the URL given in {@code JOBRUNNER_TEST_REDIS_URL}). */
    String uri();

    /** How it was obtained: env, path, embedded or container. */
    String kind();

    /** True while the process answers. */
    boolean isRunning();

    @Override
    void close();
}
