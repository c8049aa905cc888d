package io.jobrunner.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.testing.TestJobs;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job's metadata: its rules (each broken one named), its place in both JSON forms, and how executors name it. */
class JobMetadataTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private final QueueName queue = new QueueName("wiki1", "sendMail");

    @Test
    void metadataTravelsInBothFormsBesideTheParams() throws Exception {
        Job job = TestJobs.job(queue).param("to", "a@example.org").build()
                .withMetadata(Map.of("traceparent", TRACEPARENT, "correlation-id", "order-17"));
        JsonNode full = JobCodec.mapper().readTree(JobCodec.encode(job));
        assertThat(full.get("metadata").get("traceparent").asText()).isEqualTo(TRACEPARENT);
        assertThat(JobCodec.decode(JobCodec.encode(job))).isEqualTo(job);

        String stored = JobCodec.encodeStored(job, JobValidator.DEFAULT_MAX_PAYLOAD_BYTES);
        assertThat(JobCodec.mapper().readTree(stored).get("metadata").get("correlation-id").asText()).isEqualTo("order-17");
        Job back = JobCodec.decodeStored(queue, job.id(), stored);
        assertThat(back).isEqualTo(job);
        assertThat(back.metadata()).containsExactly(Map.entry("correlation-id", "order-17"), Map.entry("traceparent", TRACEPARENT));
    }

    @Test
    void aJobWithoutMetadataHasAnEmptyMapAndNoField() throws Exception {
        Job job = TestJobs.job(queue).build();
        assertThat(job.metadata()).isEmpty();
        assertThat(JobCodec.mapper().readTree(JobCodec.encode(job)).has("metadata")).isFalse();
        assertThat(JobCodec.mapper().readTree(JobCodec.encodeStored(job, 1 << 20)).has("metadata")).isFalse();
        assertThat(JobCodec.decodeStored(queue, job.id(), "{\"params\":{},\"enqueuedAt\":5}").metadata()).isEmpty();
    }

    @Test
    void withMetadataAddsOneEntryAndLeavesTheOriginalAlone() {
        Job job = Job.of("sendMail").withMetadata("a", "1");
        Job more = job.withMetadata("b", "2");
        assertThat(job.metadata()).containsOnlyKeys("a");
        assertThat(more.metadata()).containsOnlyKeys("a", "b");
        assertThatThrownBy(() -> more.metadata().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badKeysAreRejectedWithTheKeyAndTheRule() {
        for (String key : new String[]{"", "Traceparent", "-x", "a b", "k".repeat(65), "é"}) {
            assertThatThrownBy(() -> Job.of("t").withMetadata(key, "v"))
                    .isInstanceOf(InvalidJobException.class)
                    .hasMessageContaining("invalid job field 'metadata'")
                    .hasMessageContaining("keys of 1 to 64 characters of a-z 0-9 _ . -");
        }
    }

    @Test
    void valuesMustBePrintableAscii() {
        assertThatThrownBy(() -> Job.of("t").withMetadata("note", "line\nbreak"))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("metadata.note"))
                .hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> Job.of("t").withMetadata("note", "café")).isInstanceOf(InvalidJobException.class);
    }

    @Test
    void entriesAndBytesAreBounded() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= JobMetadata.MAX_ENTRIES; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> Job.of("t").withMetadata(many)).hasMessageContaining("<33 entries>").hasMessageContaining("at most 32 entries");
        Map<String, String> big = Map.of("a", "x".repeat(5000), "b", "y".repeat(5000));
        assertThatThrownBy(() -> Job.of("t").withMetadata(big)).hasMessageContaining("<10002 bytes>").hasMessageContaining("at most 8192 bytes");
        assertThat(Job.of("t").withMetadata(Map.of("a", "x".repeat(8191))).metadata()).hasSize(1);
    }

    @Test
    void aStoredJobWithBadMetadataIsMalformedNotDropped() {
        assertThatThrownBy(() -> JobCodec.decodeStored(queue, "id1", "{\"params\":{},\"enqueuedAt\":5,\"metadata\":{\"Bad Key\":\"v\"}}"))
                .isInstanceOf(MalformedJobException.class)
                .hasMessageContaining("metadata");
    }

    @Test
    void executorsNameTraceContextByTheStandardAndTheRestWithAPrefix() {
        assertThat(JobMetadata.headerName("traceparent")).isEqualTo("traceparent");
        assertThat(JobMetadata.headerName("correlation-id")).isEqualTo("X-Job-Meta-correlation-id");
        assertThat(JobMetadata.environmentName("tracestate")).isEqualTo("TRACESTATE");
        assertThat(JobMetadata.environmentName("correlation-id.v2")).isEqualTo("JOB_META_CORRELATION_ID_V2");
    }

    @Test
    void paramsMayBeAMapOrAnObject() {
        record Mail(String to, int priority) {
        }
        assertThat(Job.of("sendMail", Map.of("to", "a@example.org")).params().get("to").asText()).isEqualTo("a@example.org");
        assertThat(Job.of("sendMail", new Mail("b@example.org", 2)).params().get("priority").asInt()).isEqualTo(2);
        assertThatThrownBy(() -> Job.of("sendMail", (Object) "text")).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("params");
    }
}
