package io.jobrunner.cli;

import io.jobrunner.cli.quickstart.LocalRedis;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The quickstart's own Redis: started, answering, and gone after close. */
class LocalRedisIT {

    @Test
    void theRedisServerOnPathIsStartedAndStopped() {
        Assumptions.assumeTrue(System.getenv("PATH") != null && hasRedisServerOnPath(), "no redis-server on PATH");
        List<String> warnings = new ArrayList<>();
        LocalRedis redis = LocalRedis.start(System.getenv(), warnings::add);
        long pid;
        int port;
        try {
            assertThat(redis.kind()).isEqualTo("redis-server");
            assertThat(redis.answers()).isTrue();
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            pid = redis.pid();
            port = redis.port();
            assertThat(ProcessHandle.of(pid)).isPresent();
        } finally {
            redis.close();
        }
        Optional<ProcessHandle> after = ProcessHandle.of(pid);
        assertThat(after.isEmpty() || !after.get().isAlive()).as("redis-server pid " + pid + " is gone").isTrue();
        assertThat(LocalRedisProbe.answers(port)).isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theEmbeddedRedisWorksWithoutOneOnPath() {
        LocalRedis redis = LocalRedis.start(Map.of("JOBRUNNER_QUICKSTART_REDIS", "embedded"), w -> { });
        int port;
        try {
            assertThat(redis.kind()).isEqualTo("embedded");
            assertThat(redis.answers()).isTrue();
            port = redis.port();
        } finally {
            redis.close();
        }
        assertThat(LocalRedisProbe.answers(port)).isFalse();
    }

    @Test
    void aBrokenBinaryFallsBackToTheEmbeddedOne() {
        List<String> warnings = new ArrayList<>();
        LocalRedis redis = LocalRedis.start(Map.of("JOBRUNNER_QUICKSTART_REDIS", "/bin/false"), warnings::add);
        try {
            assertThat(redis.kind()).isEqualTo("embedded");
            assertThat(redis.answers()).isTrue();
            assertThat(warnings).singleElement().asString().contains("/bin/false").contains("embedded");
        } finally {
            redis.close();
        }
    }

    static boolean hasRedisServerOnPath() {
        for (String dir : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "redis-server"))) {
                return true;
            }
        }
        return false;
    }
}
