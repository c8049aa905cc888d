package io.jobrunner.client;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Shared bits of the queue-client tests: script access for error-code tests, and short waits. */
final class TestSupport {

    static final Duration TTL = Duration.ofSeconds(60);

    private TestSupport() {
    }

    /** The typed script methods on the client's connection, to call scripts with arguments the APIs never send. */
    static QueueScripts scripts(JobRunnerClient client) {
        return new QueueScripts(new ScriptRunner(client.redisAsync(), client.health()), client.keys(), !client.endpoint().cluster());
    }

    static <T> T join(CompletableFuture<T> future) {
        return Futures.join(future, "test");
    }

    static ClaimBatch claim(JobRunnerClient client, QueueName queue, int max) {
        return join(client.consumer().claim(queue, max, TTL));
    }

    static ClaimedJob claimOne(JobRunnerClient client, QueueName queue) {
        ClaimBatch batch = claim(client, queue, 1);
        assertThat(batch.jobs()).as("one job claimed from %s", queue).hasSize(1);
        return batch.jobs().get(0);
    }

    static List<String> ids(ClaimBatch batch) {
        return batch.jobs().stream().map(ClaimedJob::id).toList();
    }

    static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    /** Runs the call, asserts it failed with BAD_ARGS from this script, and returns the exception. */
    static JobQueueException assertBadArgs(String script, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(JobQueueException.class);
        JobQueueException e = (JobQueueException) thrown;
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGS);
        assertThat(e.operation()).isEqualTo(script + ".lua");
        assertThat(e.getMessage()).contains("JR_BAD_ARGS");
        return e;
    }
}
