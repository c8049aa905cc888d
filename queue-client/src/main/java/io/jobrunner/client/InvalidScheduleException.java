package io.jobrunner.client;

/** A schedule was rejected before Redis was touched; the message names the field, its value and what is allowed. */
public class InvalidScheduleException extends IllegalArgumentException {

    private final String field;

    public InvalidScheduleException(String field, Object value, String allowed) {
        super("invalid schedule field '" + field + "': " + (value == null ? "missing" : "'" + value + "'") + "; allowed: " + allowed);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
