package io.jobrunner.runner.executor;

import java.time.Duration;

/**
 * How a job ended. The runner maps it: {@link Success} acks; {@link Retry} releases with backoff (or the
 * given delay) until attempts run out, then abandons; {@link Failure} with {@code permanent} abandons at
 * once, without it it is retried like {@link Retry}.
 */
public sealed interface ExecutionResult {

    /** A short text for the job's last error and the log; empty for success. */
    String message();

    record Success(String message) implements ExecutionResult {
    }

    /**
     * A retryable failure.
     *
     * @param retryAfter a delay the job asked for (HTTP Retry-After), or null for the configured backoff
     */
    record Retry(String message, Duration retryAfter) implements ExecutionResult {
    }

    /** A failure; {@code permanent} means retrying cannot help. */
    record Failure(String message, boolean permanent) implements ExecutionResult {
    }

    static ExecutionResult success() {
        return new Success("");
    }

    static ExecutionResult retry(String message) {
        return new Retry(message, null);
    }

    static ExecutionResult permanentFailure(String message) {
        return new Failure(message, true);
    }
}
