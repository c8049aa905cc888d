package io.jobrunner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check-config} on the sample config and on broken ones. */
class CheckConfigTest {

    @TempDir
    Path dir;

    static Path sampleConfig() {
        Path root = Path.of(System.getProperty("jobrunner.root", ".."));
        Path sample = root.resolve("jobrunner.sample.conf");
        if (Files.isRegularFile(sample)) {
            return sample;
        }
        return Path.of("src/test/resources/interim-sample.conf").toAbsolutePath();
    }

    @Test
    void theSampleConfigIsValidAndPrintedWithThePasswordMasked() {
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", sampleConfig().toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("jobrunner").contains("redis").contains("limits");
        assertThat(r.err()).contains("config ok");
        assertThat(r.out() + r.err()).doesNotContain("s3cret");
    }

    @Test
    void theDefaultsAreValid() {
        Cli.Result r = Cli.plain().runExactly("check-config");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("built-in defaults");
    }

    @Test
    void aPasswordInTheRedisUriIsMasked() throws IOException {
        Path file = write("jobrunner.redis.uri = \"redis://app:hunter2@127.0.0.1:6379\"");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("redis://app:***@127.0.0.1:6379").doesNotContain("hunter2");
    }

    @Test
    void environmentOverridesAndTheRedisOptionAreApplied() {
        Cli.Result r = Cli.plain().env("JOBRUNNER_REDIS_PREFIX", "staging")
                .runExactly("check-config", "--json", "--redis", "redis://10.0.0.5:6380");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"prefix\" : \"staging\"").contains("redis://10.0.0.5:6380");
    }

    @Test
    void theConfigFileCanComeFromTheEnvironment() throws IOException {
        Path file = write("jobrunner.redis.prefix = fromfile");
        Cli.Result r = Cli.plain().env("JOBRUNNER_CONFIG", file.toString()).runExactly("check-config");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("fromfile");
    }

    @Test
    void anUnknownKeyFailsWithItsPathAndTheKeysAllowed() throws IOException {
        Path file = write("jobrunner.redis { uri = \"redis://127.0.0.1:6379\", prot = 6379 }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("config error").contains("jobrunner.redis.prot").contains("unknown key")
                .contains("allowed here").contains("prefix");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadValueFailsWithItsPathAndWhatIsAllowed() throws IOException {
        Path file = write("jobrunner.limits.attempts { \"*\" = 0 }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.limits.attempts").contains("must be at least 1");
    }

    @Test
    void aWrongTypeFailsWithItsPath() throws IOException {
        Path file = write("jobrunner.redis.batch-size = many");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.redis.batch-size");
    }

    @Test
    void aSyntaxErrorFailsWithTheLine() throws IOException {
        Path file = write("jobrunner {\n  redis {\n    uri = \n");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("config error").contains(file.getFileName().toString());
    }

    @Test
    void aMissingFileIsAConfigError() {
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", dir.resolve("nope.conf").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope.conf").contains("does not exist");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("test.conf");
        Files.writeString(file, text);
        return file;
    }
}
