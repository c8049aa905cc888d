package io.jobrunner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.InvalidJobException;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one NDJSON line into a {@link Job}, or into the reason it cannot be one. A line is an object
 * {@code {"id": ..., "type": ..., "domain": ..., "params": {...}, "delay": "5s", "dedup": true, "dedupIgnore": [...],
 * "metadata": {"traceparent": "..."}}}; only {@code type} is required. A line with an {@code id} is pushed once: pushed again (a re-run of the file
 * after a partial failure) while the job is stored, it counts as a duplicate. Unknown fields are refused (a misspelt {@code "parms"} must not push a job
 * without its params).
 */
final class JobLineParser {

    static final Set<String> FIELDS = Set.of("id", "type", "domain", "params", "delay", "dedup", "dedupIgnore", "metadata", "unique",
            "priority");

    private final ObjectMapper mapper = JobCodec.mapper();
    private final Clock clock;

    JobLineParser(Clock clock) {
        this.clock = clock;
    }

    /** A job, or a rejection: exactly one of the two is set. */
    record Parsed(Job job, String rejection) {
    }

    Parsed parse(String line) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            return reject("not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            return reject("not a JSON object");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return reject("unknown field '" + name + "'; allowed: id, type, domain, params, delay, dedup, dedupIgnore, metadata, unique, priority");
            }
        }
        try {
            return new Parsed(build(object), null);
        } catch (InvalidJobException | TypeConversionException e) {
            return reject(e.getMessage());
        }
    }

    private Job build(ObjectNode line) {
        JsonNode type = line.get("type");
        if (type == null || !type.isTextual()) {
            throw new InvalidJobException("type", type == null ? null : type.toString(), "a string such as \"sendMail\"");
        }
        Job job = Job.of(type.asText()).enqueuedAt(clock.millis());
        JsonNode id = line.get("id");
        if (id != null && !id.isNull()) {
            if (!id.isTextual()) {
                throw new InvalidJobException("id", id.toString(), "a string of 1 to 64 characters A-Z a-z 0-9 _ -");
            }
            job = job.withId(id.asText());
        }
        JsonNode domain = line.get("domain");
        if (domain != null && !domain.isNull()) {
            if (!domain.isTextual()) {
                throw new InvalidJobException("domain", domain.toString(), "a string");
            }
            job = job.inDomain(domain.asText());
        }
        JsonNode params = line.get("params");
        if (params != null && !params.isNull()) {
            job = job.withParams(params); // refuses anything but an object
        }
        JsonNode delay = line.get("delay");
        if (delay != null && !delay.isNull()) {
            if (!delay.isTextual()) {
                throw new InvalidJobException("delay", delay.toString(), DurationConverter.ALLOWED + ", as a string");
            }
            Duration d = DurationConverter.parse(delay.asText());
            if (!d.isZero()) {
                job = job.releaseAt(clock.instant().plus(d));
            }
        }
        List<String> ignored = stringList(line.get("dedupIgnore"));
        JsonNode dedup = line.get("dedup");
        if (dedup != null && !dedup.isNull() && !dedup.isBoolean()) {
            throw new InvalidJobException("dedup", dedup.toString(), "true or false");
        }
        JsonNode priority = line.get("priority");
        if (priority != null && !priority.isNull()) {
            if (!priority.isInt()) {
                throw new InvalidJobException("priority", priority.toString(), "a whole number from 0 to 9");
            }
            job = job.withPriority(priority.asInt());
        }
        JsonNode unique = line.get("unique");
        if (unique != null && !unique.isNull()) {
            if (!unique.isTextual()) {
                throw new InvalidJobException("unique", unique.toString(), UniqueOption.ALLOWED + ", as a string");
            }
            job = job.unique(UniqueOption.parse(unique.asText()), ignored.toArray(String[]::new));
        } else if ((dedup != null && dedup.asBoolean()) || !ignored.isEmpty()) {
            job = job.deduplicated(ignored.toArray(String[]::new));
        }
        JsonNode metadata = line.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            job = job.withMetadata(stringMap(metadata)); // the size and character rules are the Job's
        }
        return job;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        String allowed = "an object of string values, e.g. {\"traceparent\": \"00-...\"}";
        if (!node.isObject()) {
            throw new InvalidJobException("metadata", node.toString(), allowed);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw new InvalidJobException("metadata." + field.getKey(), field.getValue().toString(), allowed);
            }
            out.put(field.getKey(), field.getValue().asText());
        }
        return out;
    }

    private static List<String> stringList(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new InvalidJobException("dedupIgnore", node.toString(), "an array of param names");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidJobException("dedupIgnore", node.toString(), "an array of param names");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static Parsed reject(String reason) {
        return new Parsed(null, reason);
    }
}
