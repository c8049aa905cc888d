package io.jobrunner.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting on a queue operation from synchronous code, rethrowing what failed as it was thrown. */
final class Futures {

    private Futures() {
    }

    static <T> T join(CompletableFuture<T> future, String operation) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = ErrorCode.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw ErrorCode.toException(cause, operation, null);
        }
    }
}
