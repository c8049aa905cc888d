package io.jobrunner.runner.executor;

import io.jobrunner.service.Durations;

import java.time.Duration;

/**
 * The texts the executors put in results, in one place so they read alike.
 * <ol>
 *   <li>{@link #stopped}: the message of a run stopped by cancellation, "timed out after ..." when the
 *       job's timeout was reached, else "cancelled after ..." (shutdown);</li>
 *   <li>{@link #describe}: an exception as "Class: message (caused by Class: message)";</li>
 *   <li>{@link #format}: a duration for people ({@code 250ms}, {@code 1.5s}, {@code 2m05s}).</li>
 * </ol>
 */
final class Outcomes {

    /** The runner's timer and ours start a moment apart; a cancel this close to the timeout is one. */
    private static final Duration TIMEOUT_TOLERANCE = Duration.ofMillis(100);

    private Outcomes() {
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** "timed out after X (timeout T)" when the run reached its timeout, else "cancelled after X". */
    static String stopped(ExecutionContext context, long startNanos) {
        Duration elapsed = since(startNanos);
        Duration timeout = context.timeout();
        if (timeout != null && elapsed.plus(TIMEOUT_TOLERANCE).compareTo(timeout) >= 0) {
            return "timed out after " + format(elapsed) + " (timeout " + format(timeout) + ")";
        }
        return "cancelled after " + format(elapsed) + " (runner stopping)";
    }

    static String describe(Throwable error) {
        StringBuilder out = new StringBuilder(one(error));
        Throwable cause = error.getCause();
        for (int depth = 0; cause != null && cause != error && depth < 3; depth++) {
            out.append(" (caused by ").append(one(cause)).append(')');
            error = cause;
            cause = cause.getCause();
        }
        return out.toString();
    }

    private static String one(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getName()
                : error.getClass().getName() + ": " + message;
    }

    static String format(Duration duration) {
        return Durations.human(duration);
    }
}
