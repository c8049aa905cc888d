package io.jobrunner.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waiting on a queue operation from synchronous code. What failed is rethrown as it was thrown when it is
 * already ours ({@link JobQueueException}) or the caller's ({@link IllegalArgumentException} and the like);
 * anything from Redis or the connection (a Lettuce exception, a cancelled command) becomes a
 * {@link JobQueueException} naming the operation, so callers catch one type.
 */
final class Futures {

    private Futures() {
    }

    static <T> T join(CompletableFuture<T> future, String operation) {
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CancellationException ? e : ErrorCode.unwrap(e);
            if (cause instanceof JobQueueException || (cause instanceof RuntimeException && !fromRedis(cause))) {
                throw (RuntimeException) cause;
            }
            throw ErrorCode.toException(cause, operation, null);
        }
    }

    private static boolean fromRedis(Throwable t) {
        return t instanceof io.lettuce.core.RedisException || t instanceof CancellationException;
    }
}
