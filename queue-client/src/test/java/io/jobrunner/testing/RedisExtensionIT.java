package io.jobrunner.testing;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture itself: which server it gives, per-test prefixes, clients closed after the test, dedicated servers stopped. */
@ExtendWith(RedisExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisExtensionIT {

    private static JobRunnerClient clientOfAnEarlierTest;

    @Test
    @Order(1)
    void theRunsServerIsTheOneTheEnvironmentAsksFor(RunningRedis server, TestRedis redis) {
        String url = System.getenv("JOBRUNNER_TEST_REDIS_URL");
        String binary = System.getenv("JOBRUNNER_TEST_REDIS_SERVER");
        if (url != null && !url.isBlank()) {
            assertThat(server.kind()).isEqualTo("env");
            assertThat(server.uri()).isEqualTo(url);
        } else if ("none".equals(binary)) {
            assertThat(server.kind()).isIn("embedded", "container");
        } else if (RedisServers.findRedisServerOnPath().isPresent()) {
            assertThat(server.kind()).isEqualTo("path");
        }
        assertThat(server.isRunning()).isTrue();
        assertThat(redis.uri()).isEqualTo(server.uri());
        String version = redisVersion(redis.client());
        assertThat(compareVersions(version, "6.2")).as("Redis %s is at least 6.2", version).isGreaterThanOrEqualTo(0);
        if ("embedded".equals(server.kind())) {
            assertThat(version).as("the embedded binary is the oldest Redis we support").startsWith("6.2.");
        }
    }

    @Test
    @Order(2)
    void everyTestRedisHasItsOwnPrefixAndSeesOnlyItsOwnKeys(TestRedis a, TestRedis b) {
        assertThat(a.prefix()).isNotEqualTo(b.prefix());
        assertThat(a.settings().prefix()).isEqualTo(a.prefix());
        JobRunnerClient clientA = a.client();
        clientA.producer().push(TestJobs.job(new QueueName("d", "t")).build());
        assertThat(clientA.keys().prefix()).isEqualTo(a.prefix());
        assertThat(a.keys()).isNotEmpty().allSatisfy(k -> assertThat(k).startsWith(a.prefix() + ":"));
        assertThat(b.keys()).isEmpty();
        clientOfAnEarlierTest = clientA;
    }

    @Test
    @Order(3)
    void clientsAreClosedWhenTheirTestEnds(TestRedis redis) {
        assertThat(clientOfAnEarlierTest).isNotNull();
        assertThatThrownBy(() -> clientOfAnEarlierTest.redis().ping()).as("a closed client cannot be used").isNotNull();
        JobRunnerClient mine = redis.client(new TestClock());
        assertThat(mine.clock()).isInstanceOf(TestClock.class);
        assertThat(mine.redis().ping()).isEqualTo("PONG");
    }

    @Test
    @Order(4)
    void aDedicatedServerIsSeparateAndStopsWhenClosed(RunningRedis shared) {
        RunningRedis dedicated = RedisServers.startDedicated();
        int port;
        try {
            assertThat(dedicated.uri()).isNotEqualTo(shared.uri());
            assertThat(dedicated.isRunning()).isTrue();
            port = URI.create(dedicated.uri()).getPort();
            assertThat(accepts(port)).isTrue();
        } finally {
            dedicated.close();
        }
        assertThat(dedicated.isRunning()).isFalse();
        assertThat(accepts(port)).isFalse();
        dedicated.close(); // closing twice is harmless
        assertThat(shared.isRunning()).isTrue();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String redisVersion(JobRunnerClient client) {
        for (String line : client.redis().info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        throw new AssertionError("INFO server has no redis_version");
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
            int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }
}
