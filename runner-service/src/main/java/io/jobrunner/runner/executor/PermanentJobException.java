package io.jobrunner.runner.executor;

/**
 * Thrown by a {@link JobHandler} when running the job again cannot help (bad params, a deleted target):
 * the job is abandoned at once, with this exception's message as its last error, for an operator to
 * inspect, retry or purge.
 */
public class PermanentJobException extends Exception {

    private static final long serialVersionUID = 1L;

    public PermanentJobException(String message) {
        super(message);
    }

    public PermanentJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
