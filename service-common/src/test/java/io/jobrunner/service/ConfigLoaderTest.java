package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.ClientSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static Config load(String hocon) {
        return ConfigLoader.fromUserConfig(ConfigFactory.parseString(hocon), Map.of());
    }

    @Test
    void defaultsComeFromReference() {
        Config config = load("");
        ClientSettings redis = RedisSection.clientSettings(config);
        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(redis.prefix()).isEqualTo("jr");
        assertThat(redis.maxPayloadBytes()).isEqualTo(1 << 20);
        Limits limits = Limits.from(config);
        assertThat(limits.attempts().forType("anything")).isEqualTo(3);
        assertThat(limits.claimTtl().forType("anything")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void perTypeLimitsOverrideTheDefault() {
        Limits limits = Limits.from(load("jobrunner.limits { attempts { webVideoTranscode = 1 }, timeout { webVideoTranscode = 1d } }"));
        assertThat(limits.attempts().forType("webVideoTranscode")).isEqualTo(1);
        assertThat(limits.attempts().forType("other")).isEqualTo(3);
        assertThat(limits.timeout().forType("webVideoTranscode")).isEqualTo(Duration.ofDays(1));
        assertThat(limits.backoff().forType("x")).isEqualTo(new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10)));
    }

    @Test
    void unknownKeyIsRejectedWithItsPathAndWhatIsAllowed() {
        assertThatThrownBy(() -> load("jobrunner.redis { url = \"redis://x\" }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobrunner.redis.url")
                .hasMessageContaining("allowed here")
                .hasMessageContaining("uri");
    }

    @Test
    void unknownKeyInsideAnOpenMapEntryIsRejected() {
        assertThatThrownBy(() -> load("jobrunner.limits.backoff { sendMail { initial = 1s, maximum = 5s } }"))
                .hasMessageContaining("jobrunner.limits.backoff.sendMail.maximum");
    }

    @Test
    void clusterUrisAndPartitionsAreRead() {
        ClientSettings settings = RedisSection.clientSettings(load("""
                jobrunner.redis.uri = "redis-cluster://app:pw@10.0.0.1:7000,10.0.0.2:7001"
                jobrunner.redis.partitions { "*" = 2, bulkMail = auto, "demo.report" = 12 }
                """));
        assertThat(settings.uri()).startsWith("redis-cluster://");
        assertThat(settings.partitions().count("other", 3)).isEqualTo(2);
        assertThat(settings.partitions().isAuto("bulkMail")).isTrue();
        assertThat(settings.partitions().count("bulkMail", 3)).isEqualTo(3);
        assertThat(settings.partitions().count("demo.report", 3)).isEqualTo(12);
        assertThat(RedisSection.clientSettings(load("")).partitions()).isEqualTo(io.jobrunner.client.Partitions.NONE);
    }

    @Test
    void badClusterUrisAndPartitionCountsNameThePath() {
        assertThatThrownBy(() -> RedisSection.clientSettings(load("jobrunner.redis.uri = \"redis-cluster://10.0.0.1:7000/3\"")))
                .hasMessageContaining("jobrunner.redis.uri").hasMessageContaining("no database number");
        assertThatThrownBy(() -> RedisSection.clientSettings(load("jobrunner.redis.partitions { bulkMail = 0 }")))
                .hasMessageContaining("jobrunner.redis.partitions.bulkMail").hasMessageContaining("1 to 1024 or auto");
        assertThatThrownBy(() -> RedisSection.clientSettings(load("jobrunner.redis.partitions { \"*\" = many }")))
                .hasMessageContaining("jobrunner.redis.partitions.\"*\"");
    }

    @Test
    void badValuesNameThePath() {
        assertThatThrownBy(() -> Limits.from(load("jobrunner.limits.attempts { sendMail = 0 }")))
                .hasMessageContaining("jobrunner.limits.attempts.sendMail").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Limits.from(load("jobrunner.limits.attempts { \"bad type!\" = 2 }")))
                .hasMessageContaining("jobrunner.limits.attempts");
        assertThatThrownBy(() -> Limits.from(load("jobrunner.limits.backoff { \"*\" { initial = 10s, max = 1s } }")))
                .hasMessageContaining("jobrunner.limits.backoff.\"*\".max");
        assertThatThrownBy(() -> RedisSection.clientSettings(load("jobrunner.redis.uri = \"http://x\"")))
                .hasMessageContaining("jobrunner.redis.uri");
        assertThatThrownBy(() -> RedisSection.clientSettings(load("jobrunner.redis.batch-size = 5000")))
                .hasMessageContaining("jobrunner.redis.batch-size");
        assertThatThrownBy(() -> RedisSection.clientSettings(load("jobrunner.redis.command-timeout = -1s")))
                .hasMessageContaining("jobrunner.redis.command-timeout");
        assertThatThrownBy(() -> Limits.from(load("jobrunner.limits.timeout { \"*\" = banana }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("timeout");
    }

    @Test
    void environmentOverridesTheFile() {
        Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString("jobrunner.redis.uri = \"redis://127.0.0.1:1\""),
                Map.of("JOBRUNNER_REDIS_URI", "redis://127.0.0.1:2"));
        assertThat(RedisSection.clientSettings(config).uri()).isEqualTo("redis://127.0.0.1:2");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/jobrunner.conf"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/jobrunner.conf");
    }

    @Test
    void backoffDoublesCapsAndJitters() {
        Backoff b = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertThat(b.delay(1, 0.0)).isEqualTo(Duration.ofMillis(2500));
        assertThat(b.delay(1, 0.999)).isBetween(Duration.ofMillis(4990), Duration.ofSeconds(5));
        assertThat(b.delay(3, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(40, 0.0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.delay(200, 0.999)).isLessThanOrEqualTo(Duration.ofMinutes(10));
    }
}
