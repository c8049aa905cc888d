package io.jobrunner.cli;

import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** A reachable Redis that refuses the credentials is reported as such, never as "not reachable". */
class RedisAuthIT {

    @Test
    void aWrongOrMissingPasswordIsAnAuthFailure(/* a Redis of its own: the test sets a password on it */) throws Exception {
        try (RunningRedis server = RedisServers.startDedicated()) {
            RedisClient admin = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> c = admin.connect()) {
                c.sync().configSet("requirepass", "right-one");
            } finally {
                admin.shutdown();
            }
            int port = URI.create(server.uri()).getPort();

            Cli.Result wrong = Cli.plain().runExactly("stats", "--redis", "redis://:wrong-one@127.0.0.1:" + port);
            assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);
            assertThat(wrong.err()).contains("Redis refused the credentials").contains("authentication failed")
                    .doesNotContain("not reachable").doesNotContain("wrong-one");

            Cli.Result none = Cli.plain().runExactly("stats", "--redis", "redis://127.0.0.1:" + port);
            assertThat(none.err()).as(none.toString()).contains("Redis refused the credentials").doesNotContain("not reachable");

            Cli.Result right = Cli.plain().runExactly("stats", "--redis", "redis://:right-one@127.0.0.1:" + port);
            assertThat(right.code()).as(right.toString()).isZero();

            Cli.Result down = Cli.plain().runExactly("stats", "--redis", "redis://127.0.0.1:" + RedisServers.freePort());
            assertThat(down.err()).as("nothing listening is still an outage").contains("Redis is not reachable");
        }
    }
}
