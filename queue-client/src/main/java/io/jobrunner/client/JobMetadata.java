package io.jobrunner.client;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a job's metadata: a small map of strings that travels beside the params and reaches every
 * executor, made for context a producer hands on to whoever runs the job (a W3C {@code traceparent},
 * {@code tracestate} and {@code baggage}, a correlation id).
 * <ul>
 *   <li>at most {@value #MAX_ENTRIES} entries, at most {@value #MAX_BYTES} bytes of keys and values together;</li>
 *   <li>keys: {@code [a-z0-9][a-z0-9_.-]{0,63}} (lower case: they become HTTP header names, which ignore case);</li>
 *   <li>values: printable ASCII ({@code ' '} to {@code '~'}): they become HTTP header values and environment
 *       variables as they are.</li>
 * </ul>
 * How executors hand it on: the trace-context keys ({@link #TRACE_CONTEXT_KEYS}) under their standard names (HTTP
 * headers {@code traceparent}, {@code tracestate}, {@code baggage}; environment variables {@code TRACEPARENT},
 * {@code TRACESTATE}, {@code BAGGAGE}), every other key under a prefixed name ({@link #headerName},
 * {@link #environmentName}); java handlers read the map itself.
 */
public final class JobMetadata {

    public static final int MAX_ENTRIES = 32;
    public static final int MAX_BYTES = 8192;
    public static final String TRACEPARENT = "traceparent";
    public static final Set<String> TRACE_CONTEXT_KEYS = Set.of(TRACEPARENT, "tracestate", "baggage");

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7E]*");

    private JobMetadata() {
    }

    /** Returns {@code metadata} when it meets the rules; else throws {@link InvalidJobException} naming the entry. */
    static Map<String, String> validate(Map<String, String> metadata) {
        if (metadata.size() > MAX_ENTRIES) {
            throw new InvalidJobException("metadata", "<" + metadata.size() + " entries>", "at most " + MAX_ENTRIES + " entries");
        }
        int bytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || !KEY.matcher(key).matches()) {
                throw new InvalidJobException("metadata", key,
                        "keys of 1 to 64 characters of a-z 0-9 _ . -, starting with a letter or digit");
            }
            String value = e.getValue();
            if (value == null || !VALUE.matcher(value).matches()) {
                throw new InvalidJobException("metadata." + key, value, "printable ASCII characters (space to ~)");
            }
            bytes += key.length() + value.length();
        }
        if (bytes > MAX_BYTES) {
            throw new InvalidJobException("metadata", "<" + bytes + " bytes>", "at most " + MAX_BYTES + " bytes of keys and values");
        }
        return metadata;
    }

    /** The HTTP header an entry travels in: trace-context keys as they are, others {@code X-Job-Meta-<key>}. */
    public static String headerName(String key) {
        return TRACE_CONTEXT_KEYS.contains(key) ? key : "X-Job-Meta-" + key;
    }

    /**
     * The environment variable an entry travels in: trace-context keys upper-cased ({@code TRACEPARENT}, the
     * OpenTelemetry convention for processes), others {@code JOB_META_<KEY>} with {@code .} and {@code -} as {@code _}.
     */
    public static String environmentName(String key) {
        String upper = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return TRACE_CONTEXT_KEYS.contains(key) ? upper : "JOB_META_" + upper;
    }
}
