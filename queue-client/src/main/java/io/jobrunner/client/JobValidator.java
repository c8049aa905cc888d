package io.jobrunner.client;

import java.util.regex.Pattern;

/**
 * The rules a job must meet before it is pushed. One place, so producers, the CLI and tests agree:
 * type and domain in {@code [A-Za-z0-9_.-]{1,128}}, params a JSON object of at most the payload cap
 * once serialized, and a sensible id and times. Ids, types and domains never start with {@code -}: they are passed
 * to programs as arguments, where a leading dash would be read as an option.
 */
public final class JobValidator {

    /** The default cap on serialized params: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");
    private static final String NAME_RULE = "1 to 128 characters of A-Z a-z 0-9 _ . -, not starting with -";

    private JobValidator() {
    }

    static void requireName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidJobException(field, value, NAME_RULE);
        }
    }

    static void requireId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidJobException("id", id, "1 to 64 characters of A-Z a-z 0-9 _ -, not starting with -");
        }
    }

    /** 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z in epoch ms: the plausible range of a root timestamp. */
    public static final long MIN_ROOT_TIMESTAMP = 946_684_800_000L;
    public static final long MAX_ROOT_TIMESTAMP_EXCLUSIVE = 4_102_444_800_000L;

    /**
     * Checks a root timestamp pushed: epoch ms from 2000 to 2099. Checked at push, not when a stored job is read,
     * so jobs stored before the check still run.
     */
    public static void requireRootTimestamp(RootJob root) {
        if (root != null && (root.timestamp() < MIN_ROOT_TIMESTAMP || root.timestamp() >= MAX_ROOT_TIMESTAMP_EXCLUSIVE)) {
            throw new InvalidJobException("root.timestamp", root.timestamp(),
                    "an epoch time in milliseconds from 2000-01-01 to 2099-12-31 (not seconds, not microseconds)");
        }
    }

    /** Checks the serialized size of params against the cap. */
    public static void requirePayloadSize(int serializedBytes, int maxBytes) {
        if (serializedBytes > maxBytes) {
            throw new InvalidJobException("params", "<" + serializedBytes + " bytes>", "at most " + maxBytes + " bytes once serialized");
        }
    }
}
