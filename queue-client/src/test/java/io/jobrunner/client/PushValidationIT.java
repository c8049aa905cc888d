package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestJobs;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input never reaches Redis: a producer pushing a batch of good jobs with one bad job gets an
 * {@link InvalidJobException} naming the field, and nothing is written (the rules themselves, one by one, are
 * in {@code JobValidationTest}).
 */
@ExtendWith(RedisExtension.class)
class PushValidationIT {

    static Stream<Arguments> badJobs() {
        return Stream.of(
                arguments("type", (Supplier<Job>) () -> TestJobs.job().type("send mail").build()),
                arguments("type", (Supplier<Job>) () -> TestJobs.job().type("x".repeat(129)).build()),
                arguments("domain", (Supplier<Job>) () -> TestJobs.job().domain("wiki/1").build()),
                arguments("domain", (Supplier<Job>) () -> TestJobs.job().domain("").build()),
                arguments("params", (Supplier<Job>) () -> Job.of("t", JsonNodeFactory.instance.arrayNode().add(1))),
                arguments("params", (Supplier<Job>) () -> TestJobs.job().paramsOfSize(JobValidator.DEFAULT_MAX_PAYLOAD_BYTES + 1).build()),
                arguments("id", (Supplier<Job>) () -> TestJobs.job().id("has:colon").build()),
                arguments("id", (Supplier<Job>) () -> TestJobs.job().id("x".repeat(65)).build()),
                arguments("enqueuedAt", (Supplier<Job>) () -> TestJobs.job().enqueuedAt(0).build()),
                arguments("dedupKey", (Supplier<Job>) () -> TestJobs.job().dedupKey("").build()),
                arguments("dedupKey", (Supplier<Job>) () -> TestJobs.job().dedupKey("k".repeat(257)).build()),
                arguments("root.signature", (Supplier<Job>) () -> TestJobs.job().root("", 1).build()),
                arguments("root.timestamp", (Supplier<Job>) () -> TestJobs.job().root("sig", 0).build()),
                arguments("root.timestamp", (Supplier<Job>) () -> TestJobs.job().root("sig", 1_700_000_000L).build()),
                arguments("root.timestamp", (Supplier<Job>) () -> TestJobs.job().root("sig", 1_700_000_000_000_000L).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJobs")
    void aBatchWithOneBadJobIsRejectedNamingTheFieldAndWritesNothing(String field, Supplier<Job> badJob, TestRedis redis) {
        JobRunnerClient client = redis.client();
        List<Job> good = TestJobs.jobs(TestJobs.queue("good"), 3);

        assertThatThrownBy(() -> client.producer().push(List.of(good.get(0), good.get(1), badJob.get(), good.get(2))))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining("'" + field + "'")
                .hasMessageContaining("allowed");
        assertThat(redis.keys()).isEmpty();
    }
}
