package io.jobrunner.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows how far {@code push --ndjson} has come, on stderr:
 * <ul>
 *   <li>on a terminal, a bar redrawn in place (percent of the file's bytes when the size is known, else a
 *       line count), with the rate and the rejections so far;</li>
 *   <li>otherwise (a pipe, a log), one plain line every few seconds, so logs stay readable.</li>
 * </ul>
 */
final class PushProgress implements AutoCloseable {

    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final NdjsonPusher pusher;
    private final LongSupplier bytesRead;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;

    /**
     * @param totalBytes the input's size, or -1 when unknown (stdin)
     * @param interval   time between plain lines (a terminal bar redraws five times a second)
     */
    PushProgress(CliEnvironment env, NdjsonPusher pusher, LongSupplier bytesRead, long totalBytes, Duration interval) {
        this.err = env.err();
        this.terminal = env.terminal();
        this.pusher = pusher;
        this.bytesRead = bytesRead;
        this.totalBytes = totalBytes;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "push-progress");
            t.setDaemon(true);
            return t;
        });
        long periodMs = terminal ? 200 : Math.max(100, interval.toMillis());
        ticker.scheduleAtFixedRate(this::show, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void show() {
        synchronized (err) {
            if (terminal) {
                err.print("\r" + bar() + "\u001b[K");
            } else {
                err.println("push: " + counts());
            }
            err.flush();
        }
    }

    private String bar() {
        StringBuilder sb = new StringBuilder();
        if (totalBytes > 0) {
            double done = Math.min(1.0, bytesRead.getAsLong() / (double) totalBytes);
            int filled = (int) Math.round(done * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format("%3d%% ", Math.round(done * 100)));
        }
        return sb.append(counts()).toString();
    }

    private String counts() {
        long confirmed = pusher.pushed.get() + pusher.duplicates.get();
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        return String.format("%d lines, %d pushed, %d duplicates, %d rejected (%.0f jobs/s)",
                pusher.lines.get(), pusher.pushed.get(), pusher.duplicates.get(), pusher.rejected.get(), confirmed / seconds);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) {
            synchronized (err) {
                err.print("\r" + bar() + "\u001b[K\n");
                err.flush();
            }
        }
    }
}
