package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.runner.executor.ExecutorRegistry;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.service.Limits;
import io.jobrunner.service.RedisSection;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunnerSettingsTest {

    private static RunnerSettings settings(String hocon) {
        return RunnerSettings.from(load(hocon));
    }

    private static Config load(String hocon) {
        return ConfigLoader.fromUserConfig(ConfigFactory.parseString(hocon), Map.of());
    }

    @Test
    void groupsTakeTheirKeysOrTheDefaults() {
        RunnerSettings s = settings("""
                jobrunner.runner {
                  group-defaults.high-share = 0.7
                  groups {
                    basic { slots = 8, types = ["*"], exclude = ["webVideoTranscode"], low-priority = ["htmlCacheUpdate"] }
                    transcode { slots = 2, types = ["webVideoTranscode"], high-share = 0.5 }
                    off { slots = 0, types = ["x"] }
                  }
                }
                """);
        assertThat(s.groups()).extracting(GroupSettings::name).containsExactly("basic", "transcode");
        GroupSettings basic = s.group("basic");
        assertThat(basic.slots()).isEqualTo(8);
        assertThat(basic.highShare()).isEqualTo(0.7);
        assertThat(basic.classify("sendMail")).isEqualTo(JobClass.HIGH);
        assertThat(basic.classify("htmlCacheUpdate")).isEqualTo(JobClass.LOW);
        assertThat(basic.classify("webVideoTranscode")).isNull();
        assertThat(s.group("transcode").highShare()).isEqualTo(0.5);
        assertThat(s.shareWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.claimBatch()).isEqualTo(16);
        assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.refreshInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.http().port()).isEqualTo(9321);
        assertThat(s.http().bind()).isEqualTo("127.0.0.1");
        assertThat(s.id()).matches(".+-\\d+");
    }

    @Test
    void theRunnerIdComesFromTheEnvironment() {
        Config config = ConfigLoader.fromUserConfig(ConfigFactory.parseString("jobrunner.runner.groups.a { types = [\"*\"] }"),
                Map.of("JOBRUNNER_RUNNER_ID", "worker-7"));
        assertThat(RunnerSettings.from(config).id()).isEqualTo("worker-7");
    }

    @Test
    void concurrencyCapsByNameAndDefault() {
        RunnerSettings s = settings("""
                jobrunner.runner.groups.a { types = ["*"] }
                jobrunner.runner.concurrency { per-type { webVideoTranscode = 2 }, per-domain { "*" = 4, commons = 8 } }
                """);
        assertThat(s.perType().capOf("webVideoTranscode")).isEqualTo(2);
        assertThat(s.perType().capOf("other")).isZero();
        assertThat(s.perDomain().capOf("enwiki")).isEqualTo(4);
        assertThat(s.perDomain().capOf("commons")).isEqualTo(8);
    }

    @Test
    void rateLimitsByNameAndDefaultWithTheirDefaults() {
        RunnerSettings s = settings("""
                jobrunner.runner.groups.a { types = ["*"] }
                jobrunner.runner.rate-limits {
                  per-type { sendMail { limit = 100 } }
                  per-domain { "*" { limit = 600, per = 1m, burst = 10 } }
                  per-queue { sendMail { limit = 5, per = 100ms } }
                }
                """);
        assertThat(s.ratePerType().of("sendMail")).isEqualTo(new io.jobrunner.client.RateLimit(100, Duration.ofSeconds(1), 5));
        assertThat(s.ratePerType().of("other")).isNull();
        assertThat(s.ratePerDomain().of("anything")).isEqualTo(new io.jobrunner.client.RateLimit(600, Duration.ofMinutes(1), 10));
        assertThat(s.ratePerQueue().of("sendMail").intervalMicros()).isEqualTo(20_000.0);
        assertThat(s.ratePerQueue().of("sendMail").burst()).as("a twentieth of the limit, at least 1").isEqualTo(1);
        assertThat(settings("jobrunner.runner.groups.a { types = [\"*\"] }").ratePerQueue().isEmpty()).isTrue();
    }

    @Test
    void badRateLimitsFailWithTheirPathAndWhatIsAllowed() {
        String group = "jobrunner.runner.groups.a { types = [\"*\"] }\n";
        String at = "jobrunner.runner.rate-limits.per-queue.sendMail";
        expect(group + "jobrunner.runner.rate-limits.per-queue { sendMail { limit = 0 } }", at + ".limit", "at least 1");
        expect(group + "jobrunner.runner.rate-limits.per-queue { sendMail { per = 1s } }", at + ".limit", "is missing");
        expect(group + "jobrunner.runner.rate-limits.per-queue { sendMail { limit = 5, per = 0s } }", at + ".per", "at least 1ms");
        expect(group + "jobrunner.runner.rate-limits.per-queue { sendMail { limit = 5, burst = 6 } }", at + ".burst", "1 to the limit (5)");
        expect(group + "jobrunner.runner.rate-limits.per-queue { sendMail { limit = 5, every = 1s } }", at + ".every", "allowed here: burst, limit, per");
        expect(group + "jobrunner.runner.rate-limits.per-queue { sendMail = 100 }", at, "an object such as { limit = 100, per = 1s }");
        expect(group + "jobrunner.runner.rate-limits.per-queue { sendMail { limit = 5000, per = 1ms } }", at + ".limit", "one job per microsecond");
        expect(group + "jobrunner.runner.rate-limits.per-domain { \"a b\" { limit = 5 } }", "jobrunner.runner.rate-limits.per-domain",
                "domain names");
        expect(group + "jobrunner.runner.rate-limits.per-host { x { limit = 5 } }", "jobrunner.runner.rate-limits.per-host", "unknown key");
    }

    @Test
    void noGroupsRefusesToStartPointingAtTheSample() {
        assertThatThrownBy(() -> settings(""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobrunner.runner.groups")
                .hasMessageContaining("no groups configured")
                .hasMessageContaining("jobrunner.sample.conf");
        assertThatThrownBy(() -> settings("jobrunner.runner.groups.a { slots = 0, types = [\"*\"] }"))
                .hasMessageContaining("jobrunner.runner.groups").hasMessageContaining("slots = 0");
    }

    @Test
    void badValuesFailWithTheirPathAndWhatIsAllowed() {
        expect("jobrunner.runner.groups.a { slots = -1, types = [\"*\"] }", "jobrunner.runner.groups.a.slots", "must be 0 (group disabled) to");
        expect("jobrunner.runner.groups.a { slots = many, types = [\"*\"] }", "jobrunner.runner.groups.a.slots", "NUMBER");
        expect("jobrunner.runner.groups.a { slots = 2 }", "jobrunner.runner.group-defaults.types", "at least one job type");
        expect("jobrunner.runner.groups.a { types = [] }", "jobrunner.runner.groups.a.types", "at least one job type or glob");
        expect("jobrunner.runner.groups.a { types = \"*\" }", "jobrunner.runner.groups.a.types", "LIST");
        expect("jobrunner.runner.groups.a { types = [\"send mail\"] }", "jobrunner.runner.groups.a.types", "not a job type name or glob");
        expect("jobrunner.runner.groups.a { types = [\"html[0-9]\"] }", "jobrunner.runner.groups.a.types", "A-Z a-z 0-9 _ . - and *");
        expect("jobrunner.runner.groups.a { types = [\"*\"], exclude = [\"\"] }", "jobrunner.runner.groups.a.exclude", "not a job type name");
        expect("jobrunner.runner.groups.a { types = [\"x\"], exclude = [\"x\"] }", "jobrunner.runner.groups.a.types", "serve nothing");
        expect("jobrunner.runner.groups.a { types = [\"x\"], low-priority = [\"y\"] }", "jobrunner.runner.groups.a.low-priority",
                "not served by this group");
        expect("jobrunner.runner.groups.a { types = [\"*\"], high-share = 1.5 }", "jobrunner.runner.groups.a.high-share", "0.0 to 1.0");
        expect("jobrunner.runner.groups.\"a b\" { types = [\"*\"] }", "jobrunner.runner.groups", "group names are");
        expect("jobrunner.runner.groups.a = 3", "jobrunner.runner.groups.a", "an object");
        expect("jobrunner.runner { groups.a { types = [\"*\"] }, claim-batch = 0 }", "jobrunner.runner.claim-batch", "1 to 1000");
        expect("jobrunner.runner { groups.a { types = [\"*\"] }, share-window = 0s }", "jobrunner.runner.share-window", "positive");
        expect("jobrunner.runner { groups.a { types = [\"*\"] }, shutdown-grace = -1s }", "jobrunner.runner.shutdown-grace", "zero or a positive");
        expect("jobrunner.runner { groups.a { types = [\"*\"] }, http.port = 70000 }", "jobrunner.runner.http.port", "65535");
        expect("jobrunner.runner { groups.a { types = [\"*\"] }, concurrency.per-type { x = 0 } }",
                "jobrunner.runner.concurrency.per-type.x", "at least 1");
        expect("jobrunner.runner { groups.a { types = [\"*\"] }, id = \"bad id\" }", "jobrunner.runner.id", "1 to 128 characters");
    }

    @Test
    void unknownKeysFailWithTheirPath() {
        assertThatThrownBy(() -> load("jobrunner.runner.groups.a { types = [\"*\"], slot = 3 }"))
                .hasMessageContaining("jobrunner.runner.groups.a.slot").hasMessageContaining("allowed here");
        assertThatThrownBy(() -> load("jobrunner.runner { sharewindow = 1s }"))
                .hasMessageContaining("jobrunner.runner.sharewindow").hasMessageContaining("share-window");
        assertThatThrownBy(() -> load("jobrunner.runner.http { adress = \"0.0.0.0\" }"))
                .hasMessageContaining("jobrunner.runner.http.adress");
    }

    @Test
    void unknownExecutorKindFailsWithThePathAndTheKindsInstalled() {
        Config config = load("jobrunner.executors { sendMail { kind = carrier-pigeon } }");
        assertThatThrownBy(() -> ExecutorRegistry.load(config.getConfig("jobrunner.executors"), "jobrunner.executors"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jobrunner.executors.sendMail.kind")
                .hasMessageContaining("carrier-pigeon")
                .hasMessageContaining("command");
    }

    @Test
    void theSampleConfigIsValid() throws Exception {
        Path sample = Path.of("..", "jobrunner.sample.conf");
        assertThat(Files.isRegularFile(sample)).as("jobrunner.sample.conf at the top level").isTrue();
        Config config = ConfigLoader.load(sample, Map.of());
        RunnerSettings s = RunnerSettings.from(config);
        assertThat(s.groups()).extracting(GroupSettings::name).containsExactly("basic", "git", "transcode");
        assertThat(s.group("basic").classify("htmlCacheUpdate")).isEqualTo(JobClass.LOW);
        assertThat(s.group("basic").classify("webVideoTranscode")).isNull();
        assertThat(s.group("transcode").classify("webVideoTranscodeBacklog")).isEqualTo(JobClass.LOW);
        Limits limits = Limits.from(config);
        assertThat(limits.timeout().forType("webVideoTranscode")).isEqualTo(Duration.ofHours(6));
        assertThat(RedisSection.clientSettings(config).prefix()).isEqualTo("jr");
        assertThat(config.getObject("jobrunner.executors").keySet()).contains("*", "sendMail", "git-sync");
        // the executors are built with a Redis client: RunnerMainIT builds a runner from the whole sample
    }

    @Test
    void everyKeyOfTheReferenceAndTheSampleHasAComment() throws Exception {
        assertEveryKeyCommented(new String(RunnerSettingsTest.class.getResourceAsStream("/reference.conf").readAllBytes()));
        assertEveryKeyCommented(Files.readString(Path.of("..", "jobrunner.sample.conf")));
    }

    /** Each line that opens a key (or a block) follows a comment line or another key of a one-line block. */
    private static void assertEveryKeyCommented(String text) {
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.matches("[A-Za-z\"*-]+\\s*(=|\\{).*") && !line.startsWith("#")) {
                assertThat(lines[i - 1].trim()).as("comment above '%s'", line).startsWith("#");
            }
        }
    }

    private static void expect(String hocon, String path, String allowed) {
        assertThatThrownBy(() -> settings(hocon))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(path)
                .hasMessageContaining(allowed);
    }
}
