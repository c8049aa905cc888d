package io.jobrunner.bench.runner;

import io.jobrunner.client.ClientSettings;

/**
 * A runner the drain, end-to-end, idle-pickup and many-queues scenarios measure: one runner process's worth
 * of slots, serving every queue under the settings' prefix, running every job through the bench's handler.
 * One instance is started once and stopped once.
 */
public interface RunnerUnderTest extends AutoCloseable {

    /** A short name for the table ({@code runner}, {@code client-loop}). */
    String name();

    /**
     * Starts {@code slots} slots on Redis with these settings; returns once the runner is ready to pick up
     * work (subscribed to wake-ups), so an idle-pickup measurement can start at once.
     */
    void start(ClientSettings settings, int slots, BenchHandler handler) throws Exception;

    /** Stops claiming, lets running jobs end, releases everything; bounded in time. */
    void stop();

    @Override
    default void close() {
        stop();
    }
}
