package io.jobrunner.client;

/** A queue operation failed; carries the code, the operation and the queue (when there is one). */
public class JobQueueException extends RuntimeException {

    private final ErrorCode code;
    private final String operation;
    private final QueueName queue;

    public JobQueueException(ErrorCode code, String operation, QueueName queue, String message, Throwable cause) {
        super(operation + (queue == null ? "" : " on queue " + queue) + " failed (" + code + "): " + message, cause);
        this.code = code;
        this.operation = operation;
        this.queue = queue;
    }

    public ErrorCode code() {
        return code;
    }

    public String operation() {
        return operation;
    }

    public QueueName queue() {
        return queue;
    }
}
