package io.jobrunner.git;

import io.jobrunner.runner.executor.ExecutionResult;

/**
 * A git job that cannot go on, with the outcome the runner should see: a permanent failure (bad params, a
 * name outside the root, an unknown ref, a dirty working copy) or a retry (lock contention, network,
 * cancellation). The message is what the operator reads as the job's last error, so it says what was
 * wrong and, where it helps, what is allowed; it is redacted before it leaves the executor.
 */
final class GitJobException extends Exception {

    private final boolean permanent;

    private GitJobException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** Retrying cannot help: the job or the working copy must change first. */
    static GitJobException permanent(String message) {
        return new GitJobException(message, true, null);
    }

    static GitJobException permanent(String message, Throwable cause) {
        return new GitJobException(message, true, cause);
    }

    /** Retrying later may help (the network, a lock, a shutdown). */
    static GitJobException retry(String message, Throwable cause) {
        return new GitJobException(message, false, cause);
    }

    boolean permanent() {
        return permanent;
    }

    /** The runner's view of this failure, with the message passed through {@code redactor}. */
    ExecutionResult toResult(Redactor redactor) {
        String text = redactor.redact(getMessage());
        return permanent ? ExecutionResult.permanentFailure(text) : ExecutionResult.retry(text);
    }
}
