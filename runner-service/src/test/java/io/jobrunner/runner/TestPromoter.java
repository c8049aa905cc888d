package io.jobrunner.runner;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands in for the chron's promoter in tests: every few milliseconds, moves due delayed jobs (retries after
 * their backoff) of the given queues back to ready. Stopped by {@link #close()}.
 */
final class TestPromoter implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    TestPromoter(JobRunnerClient client, List<QueueName> queues, long periodMillis) {
        thread = new Thread(() -> {
            while (running.get()) {
                for (QueueName q : queues) {
                    client.maintenance().promote(q).join();
                }
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-promoter");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
