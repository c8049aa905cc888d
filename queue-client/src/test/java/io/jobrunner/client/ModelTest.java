package io.jobrunner.client;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The small values and the one place errors are mapped: names, keys, states, settings, error codes. */
class ModelTest {

    private final QueueName queue = new QueueName("wiki1", "sendMail");

    @Test
    void queueNamesAreWrittenAndParsedAsDomainSlashType() {
        assertThat(queue.toString()).isEqualTo("wiki1/sendMail");
        assertThat(QueueName.parse("wiki1/sendMail")).isEqualTo(queue);
        assertThatThrownBy(() -> QueueName.parse("noslash")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domain/type");
        assertThatThrownBy(() -> QueueName.parse("a/b/c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueName.parse("/t")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyKeyOfAQueueSharesOneHashTag() {
        QueueKeys k = new KeyLayout("jr").queue(queue);
        assertThat(java.util.List.of(k.ready(), k.delayed(), k.claimed(), k.abandoned(), k.data(), k.meta(), k.dedup(), k.roots()))
                .allSatisfy(key -> assertThat(key).startsWith("jr:{wiki1/sendMail}:"))
                .containsExactly("jr:{wiki1/sendMail}:ready", "jr:{wiki1/sendMail}:delayed", "jr:{wiki1/sendMail}:claimed",
                        "jr:{wiki1/sendMail}:abandoned", "jr:{wiki1/sendMail}:data", "jr:{wiki1/sendMail}:meta",
                        "jr:{wiki1/sendMail}:dedup", "jr:{wiki1/sendMail}:roots");
        KeyLayout keys = new KeyLayout("jr");
        assertThat(java.util.List.of(keys.queues(), keys.readyRegistry(), keys.due(), keys.wakeChannel(), keys.chronLease(), keys.lock("r")))
                .containsExactly("jr:queues", "jr:ready", "jr:due", "jr:wake", "jr:chron:lease", "jr:lock:r");
    }

    @Test
    void aBadPrefixIsRejectedWithWhatIsAllowed() {
        assertThatThrownBy(() -> new KeyLayout("has space")).hasMessageContaining("1 to 64 characters");
        assertThatThrownBy(() -> new KeyLayout("{tag}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyLayout(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statesParseInAnyCase() {
        assertThat(JobState.parse("Ready")).isEqualTo(JobState.READY);
        assertThat(JobState.ABANDONED.label()).isEqualTo("abandoned");
        assertThatThrownBy(() -> JobState.parse("done")).hasMessageContaining("ready, delayed, claimed, abandoned");
    }

    @Test
    void settingsAreValidatedAndCopied() {
        ClientSettings s = ClientSettings.of("redis://127.0.0.1:6379");
        assertThat(s.prefix()).isEqualTo("jr");
        assertThat(s.batchSize()).isEqualTo(500);
        assertThat(s.withPrefix("x").withBatchSize(10).withMaxPayloadBytes(5).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isEqualTo(new ClientSettings("redis://127.0.0.1:6379", "x", Duration.ofSeconds(1), Duration.ofSeconds(2), 5, 10));
        assertThatThrownBy(() -> ClientSettings.of(" ")).hasMessageContaining("uri");
        assertThatThrownBy(() -> s.withBatchSize(0)).hasMessageContaining("1..1000");
        assertThatThrownBy(() -> s.withBatchSize(1001)).hasMessageContaining("1..1000");
        assertThatThrownBy(() -> s.withMaxPayloadBytes(0)).hasMessageContaining("1 byte to 16MiB");
        assertThatThrownBy(() -> s.withTimeouts(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("positive");
        assertThatThrownBy(() -> s.withPrefix("a b")).hasMessageContaining("prefix");
    }

    @Test
    void passwordsAreMaskedInUris() {
        assertThat(JobRunnerClient.maskPassword("redis://user:secret@host:6379/0")).isEqualTo("redis://user:***@host:6379/0");
        assertThat(JobRunnerClient.maskPassword("rediss://secret@host")).isEqualTo("rediss://***@host");
        assertThat(JobRunnerClient.maskPassword("redis://host:6379")).isEqualTo("redis://host:6379");
        assertThat(JobRunnerClient.maskPassword(null)).isNull();
    }

    @Test
    void failuresAreMappedToOneCodeEach() {
        assertThat(code(new RedisCommandExecutionException("JR_BAD_ARGS claim expects N"))).isEqualTo(ErrorCode.BAD_ARGS);
        assertThat(code(new RedisCommandExecutionException("WRONGTYPE Operation against a key"))).isEqualTo(ErrorCode.REDIS_ERROR);
        assertThat(code(new RedisCommandTimeoutException("Command timed out"))).isEqualTo(ErrorCode.REDIS_TIMEOUT);
        assertThat(code(new RedisConnectionException("Unable to connect"))).isEqualTo(ErrorCode.REDIS_UNAVAILABLE);
        assertThat(code(new IOException("Connection reset by peer"))).isEqualTo(ErrorCode.REDIS_UNAVAILABLE);
        assertThat(code(new RedisException("Currently not connected. Commands are rejected."))).isEqualTo(ErrorCode.REDIS_UNAVAILABLE);
        assertThat(code(new RedisException("Connection closed"))).isEqualTo(ErrorCode.REDIS_UNAVAILABLE);
        assertThat(code(new CancellationException())).isEqualTo(ErrorCode.REDIS_UNAVAILABLE);
        assertThat(code(new CompletionException(new RedisCommandTimeoutException("x")))).isEqualTo(ErrorCode.REDIS_TIMEOUT);

        JobQueueException e = ErrorCode.toException(new RedisCommandExecutionException("JR_BAD_ARGS ack expects pairs"), "ack.lua", queue);
        assertThat(e.getMessage()).isEqualTo("ack.lua on queue wiki1/sendMail failed (BAD_ARGS): JR_BAD_ARGS ack expects pairs");
        assertThat(e.operation()).isEqualTo("ack.lua");
        assertThat(e.queue()).isEqualTo(queue);
        assertThat(ErrorCode.toException(new CompletionException(e), "other", null)).isSameAs(e);
    }

    @Test
    void waitingSynchronouslyRethrowsOursAndTheCallersAndMapsRedisFailures() {
        JobQueueException ours = new JobQueueException(ErrorCode.REDIS_ERROR, "op", null, "m", null);
        assertThat(catchThrowable(() -> Futures.join(CompletableFuture.failedFuture(ours), "x"))).isSameAs(ours);
        IllegalArgumentException callers = new IllegalArgumentException("bad");
        assertThat(catchThrowable(() -> Futures.join(CompletableFuture.failedFuture(callers), "x"))).isSameAs(callers);

        Throwable lettuce = catchThrowable(() -> Futures.join(CompletableFuture.failedFuture(new RedisException("Connection closed")), "inspect"));
        assertThat(lettuce).isInstanceOfSatisfying(JobQueueException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REDIS_UNAVAILABLE);
            assertThat(e.operation()).isEqualTo("inspect");
        });
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertThat(catchThrowable(() -> Futures.join(cancelled, "claim"))).isInstanceOfSatisfying(JobQueueException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.REDIS_UNAVAILABLE));
    }

    private ErrorCode code(Throwable t) {
        return ErrorCode.toException(t, "op", queue).code();
    }

    @Test
    void partitionsAddUpToTheirLogicalQueue() {
        QueueName bulk = new QueueName("shop", "bulk");
        List<QueueSummary> summaries = List.of(
                new QueueSummary(bulk, 3, 1, 0, 0, 500, true),
                new QueueSummary(queue, 2, 0, 0, 0, 100, false),
                new QueueSummary(bulk.inPartition(2), 4, 0, 2, 1, 900, true),
                new QueueSummary(bulk.inPartition(1), 0, 0, 0, 0, -1, true));

        List<QueueSummary> logical = QueueSummary.logical(summaries);

        assertThat(logical).containsExactly(new QueueSummary(bulk, 7, 1, 2, 1, 900, true), summaries.get(1));
        assertThat(logical.get(0).total()).isEqualTo(11);
        assertThat(QueueSummary.logical(List.of(new QueueSummary(bulk.inPartition(5), 1, 0, 0, 0, -1, false))))
                .as("named by the logical queue even without partition 0").extracting(QueueSummary::queue).containsExactly(bulk);
    }
}
