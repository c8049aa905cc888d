package io.jobrunner.client;

/** Job JSON (from Redis or a file) that cannot be read as a job; the message says why. */
public class MalformedJobException extends RuntimeException {

    public MalformedJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
