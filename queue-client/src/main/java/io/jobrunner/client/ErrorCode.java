package io.jobrunner.client;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Every way a queue operation can fail, and the one place where Redis and script errors are mapped to
 * them. Scripts signal errors as {@code JR_<CODE> message}; stale claim tokens are not errors but
 * results.
 */
public enum ErrorCode {
    /** A script was called with arguments it does not accept: a bug in the caller. */
    BAD_ARGS,
    /** Redis could not be reached, or the connection dropped. */
    REDIS_UNAVAILABLE,
    /** Redis refused the credentials: a wrong password or user, or none where one is required. */
    REDIS_AUTH,
    /** Redis did not answer within the command timeout. */
    REDIS_TIMEOUT,
    /**
     * Redis refuses writes that may grow memory: used memory is above {@code maxmemory} (with a {@code noeviction}
     * policy, or nothing left to evict). Pushes fail with this at once; heartbeats, acks, releases, recycling,
     * promotion and the registry writes they need keep working (their scripts open with a write Redis does not
     * refuse), so delivery goes on while producers are told to back off.
     */
    REDIS_OUT_OF_MEMORY,
    /** Redis answered with another error (read-only replica, wrong type, ...). */
    REDIS_ERROR;

    /** True when {@code failure} (possibly wrapped) is Redis refusing a write for memory. */
    public static boolean isOutOfMemory(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof JobQueueException e) {
            return e.code() == REDIS_OUT_OF_MEMORY;
        }
        return cause != null && classify(cause) == REDIS_OUT_OF_MEMORY;
    }

    /** Builds the exception for a failure of {@code operation} on {@code queue} (may be null). */
    public static JobQueueException toException(Throwable failure, String operation, QueueName queue) {
        Throwable cause = unwrap(failure);
        if (cause instanceof JobQueueException already) {
            return already;
        }
        ErrorCode code = classify(cause);
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (code == REDIS_OUT_OF_MEMORY) {
            message = "Redis refuses writes for memory (used memory is above maxmemory; free memory, raise maxmemory"
                    + " or let runners drain the queues): " + message;
        }
        return new JobQueueException(code, operation, queue, message, cause);
    }

    private static ErrorCode classify(Throwable cause) {
        if (isAuthFailure(cause)) {
            return REDIS_AUTH;
        }
        if (cause instanceof RedisCommandTimeoutException) {
            return REDIS_TIMEOUT;
        }
        if (cause instanceof RedisConnectionException || cause instanceof java.io.IOException
                || cause instanceof CancellationException) { // Lettuce cancels commands when a connection closes or resets
            return REDIS_UNAVAILABLE;
        }
        if (cause instanceof RedisCommandExecutionException && cause.getMessage() != null) {
            if (cause.getMessage().contains("JR_BAD_ARGS")) {
                return BAD_ARGS;
            }
            if (cause.getMessage().startsWith("OOM ") || cause.getMessage().contains("OOM command not allowed")) {
                return REDIS_OUT_OF_MEMORY;
            }
            if (isTransientClusterState(cause.getMessage())) {
                return REDIS_UNAVAILABLE;
            }
            return REDIS_ERROR;
        }
        if (cause instanceof io.lettuce.core.RedisException && cause.getMessage() != null
                && (cause.getMessage().contains("not connected") || cause.getMessage().contains("closed")
                || cause.getMessage().startsWith("Cannot determine a partition"))) { // a cluster slot without a master for now
            return REDIS_UNAVAILABLE;
        }
        return REDIS_ERROR;
    }

    /**
     * Replies of a cluster in the middle of a failover or resharding, or of a node still loading its data: the
     * command may succeed when re-sent a moment later.
     */
    private static boolean isTransientClusterState(String message) {
        return message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN") || message.startsWith("MASTERDOWN")
                || message.startsWith("LOADING");
    }

    /** True when the failure, or a cause of it, is Redis refusing the credentials (WRONGPASS, NOAUTH, AUTH errors). */
    public static boolean isAuthFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (t instanceof RedisCommandExecutionException && message != null && (message.startsWith("WRONGPASS")
                    || message.startsWith("NOAUTH") || message.contains("AUTH <password> called without any password")
                    || message.startsWith("ERR invalid password"))) {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
