package io.jobrunner.service;

import io.jobrunner.client.JobQueueException;
import io.lettuce.core.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A daemon's warnings about failed Redis calls, rate-limited so an outage does not flood the log:
 * <ol>
 *   <li>the first failure after a success is logged in full (WARN);</li>
 *   <li>further failures are counted; once per window the next one is logged with how many were not
 *       ("... (37 more failed Redis calls in the last 30 s)");</li>
 *   <li>the first success after failures logs one line (INFO) with how long Redis failed and how many calls did.</li>
 * </ol>
 * Every failure also runs {@code onFailure} (the daemon's error counter), logged or not. Thread-safe; a success
 * while nothing failed costs one volatile read.
 */
public final class RedisErrorLog {

    /** How often a failure is logged while failures go on. */
    public static final Duration WINDOW = Duration.ofSeconds(30);

    private final Logger log;
    private final Runnable onFailure;
    private final LongSupplier nanoTime;
    private final long windowNanos;
    private volatile boolean failing;
    private long failingSinceNanos;
    private long lastLoggedNanos;
    private long unlogged;
    private long failures;

    /** @param name the logger's name: the daemon's, so the lines sit with its other lines */
    public RedisErrorLog(String name, Runnable onFailure) {
        this(LoggerFactory.getLogger(name), onFailure, WINDOW, System::nanoTime);
    }

    RedisErrorLog(Logger log, Runnable onFailure, Duration window, LongSupplier nanoTime) {
        this.log = log;
        this.onFailure = onFailure;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** A Redis call failed: counted, and logged unless one was logged within the window. */
    public void failed(String format, Object... args) {
        onFailure.run();
        long now = nanoTime.getAsLong();
        String message;
        synchronized (this) {
            failures++;
            if (!failing) {
                failing = true;
                failingSinceNanos = now;
            } else if (now - lastLoggedNanos < windowNanos) {
                unlogged++;
                return;
            }
            message = MessageFormatter.arrayFormat(format, args).getMessage();
            if (unlogged > 0) {
                message += " (" + unlogged + " more failed Redis calls in the last "
                        + TimeUnit.NANOSECONDS.toSeconds(now - lastLoggedNanos) + " s)";
            }
            lastLoggedNanos = now;
            unlogged = 0;
        }
        log.warn(message);
    }

    /** A Redis call worked: after failures, one line says Redis is back. */
    public void succeeded() {
        if (!failing) {
            return;
        }
        long now = nanoTime.getAsLong();
        long failed;
        long forMs;
        synchronized (this) {
            if (!failing) {
                return;
            }
            failing = false;
            failed = failures;
            forMs = TimeUnit.NANOSECONDS.toMillis(now - failingSinceNanos);
            failures = 0;
            unlogged = 0;
        }
        log.info("Redis reachable again after {} s of failures ({} failed calls)", String.format("%.1f", forMs / 1000.0), failed);
    }

    /** True when the failure (or a cause) is a failed Redis call: a client error or a Lettuce exception. */
    public static boolean isRedisFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JobQueueException || t instanceof RedisException) {
                return true;
            }
        }
        return false;
    }

    /** True between a failure and the next success. */
    public boolean failing() {
        return failing;
    }
}
