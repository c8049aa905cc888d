package io.jobrunner.mediawiki.runner;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code runJobs.php --result=json} printed, read as a stream (a long batch of fast jobs lists tens of
 * thousands of entries, so nothing is buffered but counts):
 * <ol>
 *   <li>bytes before the first {@code '{'} are skipped (the first 4 KiB kept for the log: job code that printed);</li>
 *   <li>one JSON object is read with Jackson's streaming parser: each {@code jobs[]} entry goes to the listener
 *       and into per-type counts, with the first 3 distinct errors kept; {@code reached}, {@code backoffs}
 *       ({@code []} or an object of type to UNIX expiry) and {@code elapsed} are read; unknown fields skipped;</li>
 *   <li>bytes after the object are kept (bounded) for the log.</li>
 * </ol>
 *
 * @param parsed   false when no complete JSON object was read (then {@code problem} says why)
 * @param reached  why the batch stopped: none-ready, none-possible, read-only, replica-lag-limit, job-limit,
 *                 time-limit, memory-limit, exception (null when absent)
 * @param backoffs job type to UNIX seconds until which MediaWiki's throttle holds it back
 */
public record RunJobsResult(boolean parsed, String problem, Map<String, long[]> perType, List<String> errors, String reached,
                           Map<String, Double> backoffs, Long elapsedMs, String before, String after) {

    static final int KEEP = 4096;
    private static final JsonFactory JSON = JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    /** Receives each {@code jobs[]} entry as it is read. */
    public interface JobListener {
        void job(String type, boolean ok, long timeMs);
    }

    public long ok() {
        return perType.values().stream().mapToLong(c -> c[0]).sum();
    }

    public long failed() {
        return perType.values().stream().mapToLong(c -> c[1]).sum();
    }

    public static RunJobsResult parse(InputStream in, JobListener listener) throws IOException {
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '{') {
            if (before.size() < KEEP) {
                before.write(b);
            }
        }
        String skipped = before.toString(StandardCharsets.UTF_8).strip();
        if (b == -1) {
            return failure("no JSON object in the output", skipped, "");
        }
        Map<String, long[]> perType = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>(3);
        Map<String, Double> backoffs = new LinkedHashMap<>();
        String reached = null;
        Long elapsed = null;
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        try (JsonParser p = JSON.createParser(new SequenceInputStream(new java.io.ByteArrayInputStream(new byte[]{'{'}), in))) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "jobs" -> readJobs(p, value, perType, errors, listener);
                    case "reached" -> reached = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "backoffs" -> readBackoffs(p, value, backoffs);
                    case "elapsed" -> elapsed = value.isNumeric() ? p.getLongValue() : null;
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                return failure("the JSON object is malformed at " + p.currentLocation().getCharOffset(), skipped, "");
            }
            p.releaseBuffered(after);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return failure("the JSON object is incomplete or malformed: " + e.getOriginalMessage(), skipped, "");
        }
        byte[] rest = in.readNBytes(KEEP);
        after.write(rest, 0, Math.max(0, Math.min(rest.length, KEEP - after.size())));
        in.transferTo(java.io.OutputStream.nullOutputStream());
        String trailing = after.toString(StandardCharsets.UTF_8).strip();
        return new RunJobsResult(true, null, perType, errors, reached, backoffs, elapsed, skipped,
                trailing.length() > KEEP ? trailing.substring(0, KEEP) : trailing);
    }

    private static void readJobs(JsonParser p, JsonToken value, Map<String, long[]> perType, List<String> errors,
                                 JobListener listener) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String type = null;
            String status = null;
            String error = null;
            long time = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "status" -> status = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "error" -> error = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "time" -> time = t.isNumeric() ? p.getLongValue() : 0;
                    default -> p.skipChildren();
                }
            }
            boolean ok = "ok".equals(status);
            String key = type == null ? "(unknown)" : type;
            perType.computeIfAbsent(key, k -> new long[2])[ok ? 0 : 1]++;
            if (!ok && error != null && errors.size() < 3 && !errors.contains(error)) {
                errors.add(error.length() > 500 ? error.substring(0, 500) : error);
            }
            listener.job(key, ok, time);
        }
    }

    private static void readBackoffs(JsonParser p, JsonToken value, Map<String, Double> backoffs) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String type = p.currentName();
            JsonToken t = p.nextToken();
            if (t.isNumeric()) {
                backoffs.put(type, p.getDoubleValue());
            } else {
                p.skipChildren();
            }
        }
    }

    /** A result for output that could not be read at all. */
    static RunJobsResult unparsed(String problem) {
        return failure(problem, "", "");
    }

    private static RunJobsResult failure(String problem, String before, String after) {
        return new RunJobsResult(false, problem, Map.of(), List.of(), null, Map.of(), null, before, after);
    }
}
