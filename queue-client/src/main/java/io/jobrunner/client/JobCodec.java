package io.jobrunner.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Job JSON. Two forms:
 * <ul>
 *   <li>the <b>full</b> form (every field of DESIGN.md section 3), what executors receive and the CLI reads;</li>
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

    /** The stored form, with the serialized size of params checked against the cap. */
    public static String encodeStored(Job job, int maxPayloadBytes) {
        try {
            byte[] params = MAPPER.writeValueAsBytes(job.params());
            JobValidator.requirePayloadSize(params.length, maxPayloadBytes);
            ObjectNode stored = MAPPER.valueToTree(job);
            stored.remove("id");
            stored.remove("type");
            stored.remove("domain");
            return MAPPER.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize job " + job.id(), e);
        }
    }

    /** Reads the stored form of a job of this queue; throws {@link MalformedJobException} with the reason. */
    public static Job decodeStored(QueueName queue, String id, String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (!(node instanceof ObjectNode stored)) {
                throw new MalformedJobException("stored job is not a JSON object", null);
            }
            stored.put("id", id);
            stored.put("type", queue.type());
            stored.put("domain", queue.domain());
            return MAPPER.treeToValue(stored, Job.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedJobException("stored job JSON cannot be read: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
