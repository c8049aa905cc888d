package io.jobrunner.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/**
 * Job JSON. Two forms:
 * <ul>
 *   <li>the <b>full</b> form (every field of {@link Job}), what executors receive and the CLI reads;</li>
 *   <li>the <b>stored</b> form, the value in the queue's data hash: the full form less {@code id}, {@code type}
 *       and {@code domain}, which the hash field and the queue's key already hold. This keeps a waiting job
 *       small in Redis; {@link #decodeStored} puts them back.</li>
 * </ul>
 * Readers ignore unknown fields, so older runners read jobs written by newer producers.
 */
public final class JobCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private JobCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The full JSON of a job. */
    public static String encode(Job job) {
        try {
            return MAPPER.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize job " + job.id(), e);
        }
    }

    /** Reads the full form; throws {@link MalformedJobException} with the reason. */
    public static Job decode(String json) {
        try {
            return MAPPER.readValue(json, Job.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedJobException("not a valid job: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The stored form, with the serialized size of params checked against the cap and a root timestamp against its
     * plausible range. One pass over the params.
     */
    public static String encodeStored(Job job, int maxPayloadBytes) {
        JobValidator.requireRootTimestamp(job.root());
        try {
            String params = MAPPER.writeValueAsString(job.params());
            JobValidator.requirePayloadSize(utf8Length(params), maxPayloadBytes);
            StringWriter out = new StringWriter(params.length() + 64);
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeFieldName("params");
                g.writeRawValue(params);
                g.writeNumberField("enqueuedAt", job.enqueuedAt());
                if (job.releaseAt() != null) {
                    g.writeNumberField("releaseAt", job.releaseAt());
                }
                if (job.expireAt() != null) {
                    g.writeNumberField("expireAt", job.expireAt());
                }
                if (job.dedupKey() != null) {
                    g.writeStringField("dedupKey", job.dedupKey());
                }
                if (job.unique() != null) {
                    g.writeStringField("unique", job.unique().toString());
                }
                if (job.priority() != 0) {
                    g.writeNumberField("priority", job.priority());
                }
                if (job.root() != null) {
                    g.writeObjectFieldStart("root");
                    g.writeStringField("signature", job.root().signature());
                    g.writeNumberField("timestamp", job.root().timestamp());
                    g.writeEndObject();
                }
                if (!job.metadata().isEmpty()) {
                    g.writeObjectFieldStart("metadata");
                    for (Map.Entry<String, String> e : job.metadata().entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize job " + job.id(), e);
        }
    }

    /** Reads the stored form of a job of this queue; throws {@link MalformedJobException} with the reason. */
    public static Job decodeStored(QueueName queue, String id, String json) {
        try {
            Stored stored = STORED_READER.readValue(json);
            if (stored == null) {
                throw new MalformedJobException("stored job is JSON null", null);
            }
            return new Job(id, queue.type(), queue.domain(), stored.params(), stored.enqueuedAt(),
                    stored.releaseAt(), stored.expireAt(), stored.dedupKey(), stored.root(), stored.metadata(), stored.unique(), stored.priority());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedJobException("stored job JSON cannot be read: " + firstLine(e.getMessage()), e);
        }
    }

    /** The stored form's fields; id, type and domain come from the hash field and the queue. */
    private record Stored(ObjectNode params, long enqueuedAt, Long releaseAt, Long expireAt, String dedupKey, RootJob root,
                          Map<String, String> metadata, Uniqueness unique, int priority) {
    }

    private static final ObjectReader STORED_READER = MAPPER.readerFor(Stored.class);

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
