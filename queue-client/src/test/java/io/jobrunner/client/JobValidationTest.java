package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.testing.TestJobs;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Every rule a job must meet ({@link JobValidator}), each failing with the field, the value and what is allowed. */
class JobValidationTest {

    private static final String NAME_RULE = "1 to 128 characters of A-Z a-z 0-9 _ . -, not starting with -";

    @ParameterizedTest
    @ValueSource(strings = {"a", "sendMail", "webVideoTranscode", "html.cache-update_2", "0", "_", ".", "a-"})
    void goodNamesAreAccepted(String name) {
        assertThatCode(() -> TestJobs.job().type(name).domain(name).build()).doesNotThrowAnyException();
    }

    @Test
    void namesOfExactly128CharactersAreAccepted() {
        String name = "x".repeat(128);
        assertThat(TestJobs.job().type(name).domain(name).build().queue()).isEqualTo(new QueueName(name, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "send mail", "a/b", "a:b", "{x}", "é", "tab\t", "a*"})
    void typesOutsideTheAlphabetAreRejected(String type) {
        assertInvalid(() -> TestJobs.job().type(type).build(), "type", NAME_RULE);
    }

    @Test
    void aTypeOver128CharactersIsRejected() {
        assertInvalid(() -> TestJobs.job().type("t".repeat(129)).build(), "type", NAME_RULE);
    }

    @Test
    void aMissingTypeIsRejected() {
        Throwable e = assertInvalid(() -> Job.of(null), "type", NAME_RULE);
        assertThat(e).hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "wiki 1", "en/wiki", "{wiki}"})
    void domainsOutsideTheAlphabetAreRejected(String domain) {
        assertInvalid(() -> TestJobs.job().domain(domain).build(), "domain", NAME_RULE);
    }

    @Test
    void aDomainOver128CharactersIsRejected() {
        assertInvalid(() -> TestJobs.job().domain("d".repeat(129)).build(), "domain", NAME_RULE);
    }

    @Test
    void aMissingDomainIsRejected() {
        assertInvalid(() -> Job.of("t").inDomain(null), "domain", NAME_RULE);
    }

    @Test
    void paramsMustBeAJsonObject() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertInvalid(() -> Job.of("t", f.arrayNode()), "params", "a JSON object");
        assertInvalid(() -> Job.of("t", f.textNode("x")), "params", "a JSON object");
        assertInvalid(() -> Job.of("t", f.numberNode(1)), "params", "a JSON object");
        assertInvalid(() -> Job.of("t", f.nullNode()), "params", "a JSON object");
        assertInvalid(() -> Job.of("t", null), "params", "a JSON object");
        assertInvalid(() -> new Job("id", "t", "d", null, 1, null, null, null), "params", "a JSON object");
    }

    @Test
    void paramsOverThePayloadCapAreRejectedWhenEncoded() {
        Job atCap = TestJobs.job().paramsOfSize(100).build();
        Job overCap = TestJobs.job().paramsOfSize(101).build();
        assertThatCode(() -> JobCodec.encodeStored(atCap, 100)).doesNotThrowAnyException();
        Throwable e = assertInvalid(() -> JobCodec.encodeStored(overCap, 100), "params", "at most 100 bytes once serialized");
        assertThat(e).hasMessageContaining("<101 bytes>");
    }

    @Test
    void theDefaultPayloadCapIsOneMebibyte() {
        assertThat(JobValidator.DEFAULT_MAX_PAYLOAD_BYTES).isEqualTo(1024 * 1024);
        assertThat(ClientSettings.of("redis://127.0.0.1").maxPayloadBytes()).isEqualTo(JobValidator.DEFAULT_MAX_PAYLOAD_BYTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a:b", "a.b", "a/b", "é"})
    void idsOutsideTheirAlphabetAreRejected(String id) {
        assertInvalid(() -> TestJobs.job().id(id).build(), "id", "1 to 64 characters of A-Z a-z 0-9 _ -");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-", "-rf", "--help", "-x.y"})
    void aLeadingDashIsRefusedInTypesAndDomainsSoNoArgumentReadsAsAnOption(String name) {
        assertInvalid(() -> TestJobs.job().type(name).build(), "type", "not starting with -");
        assertInvalid(() -> TestJobs.job().domain(name).build(), "domain", "not starting with -");
    }

    @Test
    void aLeadingDashIsRefusedInIdsAndNeverGenerated() {
        assertInvalid(() -> TestJobs.job().id("-abc").build(), "id", "not starting with -");
        assertThatCode(() -> TestJobs.job().id("a-bc").build()).doesNotThrowAnyException();
        for (int i = 0; i < 10_000; i++) { // about 156 of them would start with '-' without the rule
            assertThat(JobIds.next()).doesNotStartWith("-");
        }
    }

    @Test
    void idsAreAtMost64CharactersAndGeneratedOnesAreValid() {
        assertThatCode(() -> TestJobs.job().id("i".repeat(64)).build()).doesNotThrowAnyException();
        assertInvalid(() -> TestJobs.job().id("i".repeat(65)).build(), "id", "1 to 64 characters");
        assertThat(JobIds.next()).hasSize(22).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void timesMustBePositiveEpochMilliseconds() {
        assertInvalid(() -> TestJobs.job().enqueuedAt(0).build(), "enqueuedAt", "a positive epoch time");
        assertInvalid(() -> TestJobs.job().enqueuedAt(-5).build(), "enqueuedAt", "a positive epoch time");
        assertInvalid(() -> TestJobs.job().releaseAt(Instant.EPOCH).build(), "releaseAt", "a positive epoch time");
    }

    @Test
    void aDedupKeyIsNonEmptyAndAtMost256Characters() {
        assertThatCode(() -> TestJobs.job().dedupKey("k".repeat(256)).build()).doesNotThrowAnyException();
        assertInvalid(() -> TestJobs.job().dedupKey("").build(), "dedupKey", "a non-empty string of at most 256 characters");
        assertInvalid(() -> TestJobs.job().dedupKey("k".repeat(257)).build(), "dedupKey", "at most 256");
    }

    @Test
    void aRootHasASignatureAndAPositiveTimestamp() {
        assertThatCode(() -> new RootJob("s".repeat(256), 1)).doesNotThrowAnyException();
        assertInvalid(() -> new RootJob(null, 1), "root.signature", "a non-empty string of at most 256 characters");
        assertInvalid(() -> new RootJob("", 1), "root.signature", "non-empty");
        assertInvalid(() -> new RootJob("s".repeat(257), 1), "root.signature", "at most 256");
        assertInvalid(() -> new RootJob("sig", 0), "root.timestamp", "a positive epoch time");
    }

    @Test
    void queueNamesFollowTheSameRules() {
        assertInvalid(() -> new QueueName("a b", "t"), "domain", NAME_RULE);
        assertInvalid(() -> new QueueName("d", "t/x"), "type", NAME_RULE);
    }

    @Test
    void aLongBadValueIsCutInTheMessage() {
        Throwable e = catchThrowable(() -> TestJobs.job().type("bad " + "x".repeat(500)).build());
        assertThat(e.getMessage()).hasSizeLessThan(300).contains("...");
    }

    @Test
    void theCopyMethodsValidateToo() {
        Job job = TestJobs.job().build();
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        assertThat(job.withParams(params).params()).isEqualTo(params);
        assertInvalid(() -> job.withId("no spaces allowed"), "id", "1 to 64");
        assertInvalid(() -> job.inDomain("a b"), "domain", NAME_RULE);
        assertInvalid(() -> job.withDedupKey(""), "dedupKey", "non-empty");
        assertInvalid(() -> job.enqueuedAt(0), "enqueuedAt", "positive");
    }

    private static Throwable assertInvalid(ThrowingCallable call, String field, String allowed) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOfSatisfying(InvalidJobException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith("invalid job field '" + field + "': ").contains("allowed: ").contains(allowed);
        });
        return thrown;
    }
}
