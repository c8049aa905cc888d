package io.jobrunner.client;

/** A job was rejected before Redis was touched; the message names the field, its value and what is allowed. */
public class InvalidJobException extends IllegalArgumentException {

    private final String field;

    public InvalidJobException(String field, Object value, String allowed) {
        super("invalid job field '" + field + "': " + describe(value) + "; allowed: " + allowed);
        this.field = field;
    }

    public String field() {
        return field;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        String text = String.valueOf(value);
        return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
    }
}
