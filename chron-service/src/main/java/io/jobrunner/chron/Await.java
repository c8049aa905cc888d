package io.jobrunner.chron;

import io.jobrunner.client.ErrorCode;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Waits on a Redis future interruptibly (so stopping the chron never waits on a command timeout). */
final class Await {

    private Await() {
    }

    /**
     * The future's value; a Redis failure becomes a {@link io.jobrunner.client.JobQueueException}; an interrupt
     * is kept on the thread and ends the wait with a {@link CancellationException}.
     */
    static <T> T get(CompletionStage<T> stage, String operation) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException(operation + " interrupted");
        } catch (ExecutionException e) {
            throw ErrorCode.toException(e.getCause(), operation, null);
        }
    }
}
