package io.jobrunner.client;

import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection options: user and password (ACL) in the URI, and clear errors when they are wrong. */
class ConnectionOptionsIT {

    @Test
    void aclUserAndPasswordInTheUri() {
        try (RunningRedis redis = RedisServers.startDedicated()) {
            URI plain = URI.create(redis.uri());
            try (JobRunnerClient admin = JobRunnerClient.connect(ClientSettings.of(redis.uri()))) {
                admin.redis().aclSetuser("producer", io.lettuce.core.AclSetuserArgs.Builder
                        .on().addPassword("s3cret").allKeys().allChannels().allCommands());
            }
            String withUser = "redis://producer:s3cret@" + plain.getHost() + ":" + plain.getPort();
            try (JobRunnerClient client = JobRunnerClient.connect(ClientSettings.of(withUser).withPrefix("acl"))) {
                Job job = Job.of("sendMail");
                assertThat(client.producer().push(job).pushed()).containsExactly(job.id());
                assertThat(client.redis().aclWhoami()).isEqualTo("producer");
            }

            String wrongPassword = "redis://producer:wrong@" + plain.getHost() + ":" + plain.getPort();
            assertThatThrownBy(() -> JobRunnerClient.connect(ClientSettings.of(wrongPassword)))
                    .isInstanceOf(JobQueueException.class)
                    .as("reachable, but the password is wrong: an auth failure, not an outage")
                    .satisfies(e -> assertThat(((JobQueueException) e).code()).isEqualTo(ErrorCode.REDIS_AUTH))
                    .hasMessageContaining("refused the credentials")
                    .hasMessageContaining("producer:***@")
                    .hasMessageNotContaining("wrong");
        }
    }

    @Test
    void passwordsAreMaskedInMessages() {
        assertThat(JobRunnerClient.maskPassword("redis://user:pw@127.0.0.1:6379/0")).isEqualTo("redis://user:***@127.0.0.1:6379/0");
        assertThat(JobRunnerClient.maskPassword("rediss://pw@127.0.0.1:6379")).isEqualTo("rediss://***@127.0.0.1:6379");
        assertThat(JobRunnerClient.maskPassword("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
    }

    @Test
    void aMalformedUriIsRejectedWithTheUri() {
        assertThatThrownBy(() -> JobRunnerClient.connect(ClientSettings.of("redis://user:pw@host:notaport")))
                .hasMessageContaining("user:***@")
                .hasMessageNotContaining("pw@");
    }
}
