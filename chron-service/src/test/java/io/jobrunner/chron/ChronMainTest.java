package io.jobrunner.chron;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage and config errors: exit 2 with the HOCON path, before Redis is touched. */
class ChronMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ChronMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config").contains("--redis");
    }

    @Test
    void unknownArgumentIsAUsageError() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown argument --frobnicate").contains(ChronMain.USAGE);
        assertThat(run("--config")).isEqualTo(2);
        assertThat(err()).contains("--config needs a value");
    }

    @Test
    void badValueExitsTwoWithThePath(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "jobrunner.chron { lease-ttl = 50ms }\n");
        assertThat(run("--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains("config error").contains("jobrunner.chron.lease-ttl").contains("at least 300ms");
    }

    @Test
    void unknownKeyExitsTwo(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("typo.conf");
        Files.writeString(conf, "jobrunner.chron { prune-intervall = 1m }\n");
        assertThat(run("--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains("jobrunner.chron.prune-intervall").contains("unknown key");
    }

    @Test
    void sharedSectionsAreValidatedToo(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("limits.conf");
        Files.writeString(conf, "jobrunner.limits.attempts { \"*\" = 0 }\n");
        assertThat(run("--config", conf.toString())).isEqualTo(2);
        assertThat(err()).contains("jobrunner.limits.attempts");
        assertThat(run("--redis", "http://example")).isEqualTo(2);
        assertThat(err()).contains("jobrunner.redis.uri");
    }

    @Test
    void missingConfigFileExitsTwo(@TempDir Path dir) {
        assertThat(run("--config", dir.resolve("absent.conf").toString())).isEqualTo(2);
        assertThat(err()).contains("absent.conf");
    }
}
