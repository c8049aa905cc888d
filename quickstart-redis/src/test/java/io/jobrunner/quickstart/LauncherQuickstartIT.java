package io.jobrunner.quickstart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quickstart on a machine with only a JDK: {@code bin/jobrunner quickstart} with no redis-server on PATH
 * runs the demo on the embedded Redis of this module's jar, which the production jar does not carry.
 */
class LauncherQuickstartIT {

    private static final Path ROOT = Path.of(System.getProperty("jobrunner.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theLauncherRunsTheQuickstartOnTheEmbeddedRedisWhenNoneIsOnPath() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/jobrunner").toString(), "quickstart", "--jobs", "10", "--slots", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("JOBRUNNER_SKIP_BUILD", "1");
        // a PATH with the JDK and the basic tools only: no redis-server
        pb.environment().put("PATH", java + ":/usr/bin:/bin");
        pb.environment().put("JOBRUNNER_QUICKSTART_REDIS", "embedded");
        pb.environment().remove("JOBRUNNER_JAR");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the quickstart finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Redis: embedded").contains("done: every demo job ran in");
    }

    @Test
    void theProductionJarHoldsNoRedisServerAndThisOneDoes() throws Exception {
        try (ZipFile production = new ZipFile(ROOT.resolve("cli/target/jobrunner.jar").toFile());
             ZipFile quickstart = new ZipFile(ROOT.resolve("quickstart-redis/target/jobrunner-quickstart-redis.jar").toFile())) {
            assertThat(production.stream().map(e -> e.getName()))
                    .noneMatch(n -> n.contains("redis-server") || n.startsWith("redis/embedded/") || n.startsWith("redis/clients/jedis/"));
            assertThat(quickstart.stream().map(e -> e.getName())).anyMatch(n -> n.contains("redis-server"));
        }
    }
}
