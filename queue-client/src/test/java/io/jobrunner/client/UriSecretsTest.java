package io.jobrunner.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** No error message repeats the password of a Redis URI. */
class UriSecretsTest {

    @Test
    void aUriThatDoesNotParseIsReportedWithItsPasswordMasked() {
        Throwable failure = catchThrowable(() -> JobRunnerClient.connect(ClientSettings.of("redis://app:hunter2@127.0.0.1:notaport")));
        assertThat(failure).isNotNull().hasMessageContaining("redis://app:***@127.0.0.1");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("hunter2");
        }
    }

    @Test
    void anUnreachableRedisIsReportedWithItsPasswordMasked() {
        int port = LoopbackRedis.freePort();
        Throwable failure = catchThrowable(() -> JobRunnerClient.connect(ClientSettings.of("redis://app:hunter2@127.0.0.1:" + port)));
        assertThat(failure).isInstanceOf(JobQueueException.class).hasMessageContaining("redis://app:***@127.0.0.1:" + port);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("hunter2");
        }
    }
}
