package io.jobrunner.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.testing.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JobCodec}: the full and the stored JSON forms, round trips, unknown fields, malformed input. */
class JobCodecTest {

    private final QueueName queue = new QueueName("wiki1", "refreshLinks");
    private final Job full = TestJobs.job(queue).param("page", "Main_Page").param("rev", 42)
            .releaseAt(Instant.ofEpochMilli(1_900_000_000_000L)).enqueuedAt(1_800_000_000_000L)
            .deduplicated().root("refreshLinks:Main_Page", 1_700_000_000_000L).build();

    @Test
    void theFullFormHasEveryFieldOfTheDesignAndRoundTrips() throws Exception {
        JsonNode json = JobCodec.mapper().readTree(JobCodec.encode(full));
        assertThat(json.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("id", "type", "domain", "params", "enqueuedAt", "releaseAt", "dedupKey", "root");
        assertThat(json.get("type").asText()).isEqualTo("refreshLinks");
        assertThat(json.get("domain").asText()).isEqualTo("wiki1");
        assertThat(json.get("releaseAt").asLong()).isEqualTo(1_900_000_000_000L);
        assertThat(json.get("root").get("signature").asText()).isEqualTo("refreshLinks:Main_Page");
        assertThat(json.get("root").get("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(JobCodec.decode(JobCodec.encode(full))).isEqualTo(full);
    }

    @Test
    void absentOptionalFieldsAreLeftOut() throws Exception {
        Job plain = TestJobs.job(queue).build();
        JsonNode json = JobCodec.mapper().readTree(JobCodec.encode(plain));
        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "type", "domain", "params", "enqueuedAt");
        assertThat(JobCodec.decode(JobCodec.encode(plain))).isEqualTo(plain);
    }

    @Test
    void theStoredFormLeavesOutWhatTheKeysHoldAndRoundTrips() throws Exception {
        String stored = JobCodec.encodeStored(full, JobValidator.DEFAULT_MAX_PAYLOAD_BYTES);
        JsonNode json = JobCodec.mapper().readTree(stored);
        assertThat(json.has("id")).isFalse();
        assertThat(json.has("type")).isFalse();
        assertThat(json.has("domain")).isFalse();
        assertThat(JobCodec.decodeStored(queue, full.id(), stored)).isEqualTo(full);
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        String newer = "{\"params\":{\"a\":1},\"enqueuedAt\":5,\"priority\":9,\"tags\":[\"x\"],\"root\":{\"signature\":\"s\",\"timestamp\":3,\"extra\":true}}";
        Job job = JobCodec.decodeStored(queue, "id1", newer);
        assertThat(job.params().get("a").asInt()).isEqualTo(1);
        assertThat(job.root()).isEqualTo(new RootJob("s", 3));
        assertThat(JobCodec.decode("{\"id\":\"i\",\"type\":\"t\",\"domain\":\"d\",\"params\":{},\"enqueuedAt\":1,\"v2\":{}}").id()).isEqualTo("i");
    }

    @Test
    void theStoredFormTakesIdTypeAndDomainFromTheKeysNotTheJson() {
        Job job = JobCodec.decodeStored(queue, "realId", "{\"id\":\"fake\",\"type\":\"fake\",\"domain\":\"fake\",\"params\":{},\"enqueuedAt\":1}");
        assertThat(job.id()).isEqualTo("realId");
        assertThat(job.queue()).isEqualTo(queue);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "not json", "[]", "null", "42", "\"text\"", "{\"params\":[],\"enqueuedAt\":1}",
            "{\"params\":{},\"enqueuedAt\":0}", "{\"params\":{}}", "{\"enqueuedAt\":1}", "{\"params\":{},\"enqueuedAt\":\"soon\"}",
            "{\"params\":{},\"enqueuedAt\":1,\"root\":{\"signature\":\"\",\"timestamp\":1}}"})
    void anUnreadableStoredJobFailsWithAReason(String json) {
        assertThatThrownBy(() -> JobCodec.decodeStored(queue, "id1", json))
                .isInstanceOf(MalformedJobException.class)
                .hasMessageNotContaining("\n")
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void anInvalidFullJobNamesTheField() {
        assertThatThrownBy(() -> JobCodec.decode("{\"id\":\"i\",\"type\":\"bad type\",\"domain\":\"d\",\"params\":{},\"enqueuedAt\":1}"))
                .isInstanceOf(MalformedJobException.class).hasMessageContaining("'type'");
        assertThatThrownBy(() -> JobCodec.decode("{oops")).isInstanceOf(MalformedJobException.class).hasMessageStartingWith("not a valid job");
    }
}
