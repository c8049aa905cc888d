package io.jobrunner.runner.executor;

import java.time.Duration;

/**
 * Thrown by a {@link JobHandler} to have the job run again later: after {@link #retryAfter()} when given,
 * else after the job type's configured backoff. Retries stop when the job runs out of attempts; it is
 * then abandoned with this exception's message as its last error.
 */
public class RetryableJobException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RetryableJobException(String message) {
        this(message, null, null);
    }

    public RetryableJobException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** @param retryAfter how long to wait before the next attempt (zero or more), or null for the backoff */
    public RetryableJobException(String message, Duration retryAfter) {
        this(message, retryAfter, null);
    }

    public RetryableJobException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be zero or more, got " + retryAfter);
        }
        this.retryAfter = retryAfter;
    }

    /** The delay asked for, or null for the configured backoff. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
