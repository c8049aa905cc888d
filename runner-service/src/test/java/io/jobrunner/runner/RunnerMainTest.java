package io.jobrunner.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes of the daemon's entry point for what fails before Redis is touched. */
class RunnerMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RunnerMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badConfigExitsWithTwoAndNamesThePath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runner.conf");
        Files.writeString(file, "jobrunner.runner.groups.basic { slots = -3, types = [\"*\"] }\n");
        assertThat(run("--config", file.toString())).isEqualTo(2);
        assertThat(err()).contains("configuration error").contains("jobrunner.runner.groups.basic.slots").contains("runner.conf");
    }

    @Test
    void unknownKeyExitsWithTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runner.conf");
        Files.writeString(file, "jobrunner.runner { groups.basic { types = [\"*\"] }, claimbatch = 4 }\n");
        assertThat(run("--config=" + file)).isEqualTo(2);
        assertThat(err()).contains("jobrunner.runner.claimbatch").contains("claim-batch");
    }

    @Test
    void noGroupsExitsWithTwoPointingAtTheSample() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("no groups configured").contains("jobrunner.sample.conf");
    }

    @Test
    void missingFileAndBadArgumentsExitWithTwo() {
        assertThat(run("--config", "/nonexistent/runner.conf")).isEqualTo(2);
        assertThat(err()).contains("/nonexistent/runner.conf");
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(err()).contains("usage");
    }

    @Test
    void badRedisUriExitsWithTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runner.conf");
        Files.writeString(file, "jobrunner.runner.groups.basic { types = [\"*\"] }\n");
        assertThat(run("--config", file.toString(), "--redis", "http://nope")).isEqualTo(2);
        assertThat(err()).contains("jobrunner.redis.uri");
    }

    @Test
    void helpExitsWithZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config");
    }
}
