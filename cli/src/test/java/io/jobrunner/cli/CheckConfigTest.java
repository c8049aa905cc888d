package io.jobrunner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check-config} on the sample config and on broken ones. */
class CheckConfigTest {

    /** The least a runner needs: one group. */
    static final String ONE_GROUP = "jobrunner.runner.groups.all { slots = 1, types = [\"*\"] }\n";

    @TempDir
    Path dir;

    @Test
    void theSampleConfigIsValidOnAMachineWithItsJobHandler() throws IOException {
        Path sample = ReadmeTest.ROOT.resolve("jobrunner.sample.conf");
        Cli.Result here = Cli.plain().runExactly("check-config", "--config", sample.toString());
        assertThat(here.code()).as("this machine has no /usr/local/bin/run-wiki-job").isEqualTo(2);
        assertThat(here.err()).contains("jobrunner.executors.\"*\".argv").contains("/usr/local/bin/run-wiki-job").contains("does not exist");

        Path withHandler = write("include file(\"" + sample + "\")\njobrunner.executors.\"*\".argv = [\"cat\", \"{type}\"]");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", withHandler.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("jobrunner").contains("groups").contains("transcode").contains("executors").contains("chron");
        assertThat(r.err()).contains("config ok: " + withHandler);
    }

    @Test
    void aCommandExecutorWhoseProgramCannotRunIsRefused() throws IOException {
        Path notExecutable = Files.writeString(dir.resolve("handler.sh"), "#!/bin/sh\nexit 0\n");
        String[][] cases = {
                {"[\"" + dir.resolve("missing-handler") + "\"]", "does not exist"},
                {"[\"" + notExecutable + "\", \"{id}\"]", "is not executable"},
                {"[\"no-such-handler-on-path\"]", "is not an executable file on PATH"},
                {"[\"handler.sh\"], workdir = \"" + dir + "\"", "is not an executable file on PATH"}};
        for (String[] c : cases) {
            Path file = write(ONE_GROUP + "jobrunner.executors.resize { kind = command, argv = " + c[0] + " }");
            Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.err()).as(c[0]).contains("jobrunner.executors.resize.argv").contains(c[1]);
        }
        assertThat(notExecutable.toFile().setExecutable(true)).isTrue();
        for (String argv : new String[]{"[\"" + notExecutable + "\"]", "[\"./handler.sh\"], workdir = \"" + dir + "\"", "[\"sh\", \"-c\", \"true\"]",
                "[\"{type}-handler\"]"}) {
            Path file = write(ONE_GROUP + "jobrunner.executors.resize { kind = command, argv = " + argv + " }");
            Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString(), "--quiet");
            assertThat(r.code()).as(argv + ": " + r).isZero();
        }
    }

    @Test
    void theDefaultsServeTheChronButNotTheRunner() {
        Cli.Result chron = Cli.plain().runExactly("check-config", "--for", "chron");
        assertThat(chron.code()).as(chron.toString()).isZero();
        assertThat(chron.err()).contains("built-in defaults");

        Cli.Result runner = Cli.plain().runExactly("check-config");
        assertThat(runner.code()).as(runner.toString()).isEqualTo(2);
        assertThat(runner.err()).contains("jobrunner.runner.groups");
    }

    @Test
    void aBadDashboardSectionIsRefusedWithItsPath() throws IOException {
        Path file = write("jobrunner.dashboard.auth.token = \"short\"");
        Cli.Result r = Cli.plain().runExactly("check-config", "--for", "chron", "--config", file.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.dashboard.auth.token").contains("at least 16 characters");
    }

    @Test
    void aPasswordInTheRedisUriIsMasked() throws IOException {
        Path file = write(ONE_GROUP + "jobrunner.redis.uri = \"redis://app:hunter2@127.0.0.1:6379\"");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("redis://app:***@127.0.0.1:6379").doesNotContain("hunter2");
    }

    @Test
    void secretsAreRedactedByKeyName() throws IOException {
        Path file = write(ONE_GROUP + String.join("\n",
                "jobrunner.executors {",
                "  mail { kind = http, url = \"http://127.0.0.1:8080/jobs\", headers { Authorization = \"Bearer s3cr3t-bearer\", X-Api-Token = \"tok-123\" } }",
                "  \"*\" { kind = command, argv = [\"/bin/true\"], env { DB_PASSWORD = \"pw-in-env\", MODE = \"plain-mode\" } }",
                "  \"git-sync\" { kind = git-sync, root = \"" + dir.resolve("git") + "\", allowed-hosts = [\"example.org\"],",
                "    credentials { \"example.org\" { username = bot, password = \"git-pw-9\" } } }",
                "}"));
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("s3cr3t-bearer", "tok-123", "pw-in-env", "plain-mode", "git-pw-9")
                .contains("Authorization", "DB_PASSWORD", ConfigRedaction.REDACTED, "http://127.0.0.1:8080/jobs");
    }

    @Test
    void environmentOverridesAndTheRedisOptionAreApplied() {
        Cli.Result r = Cli.plain().env("JOBRUNNER_REDIS_PREFIX", "staging")
                .runExactly("check-config", "--for", "chron", "--json", "--redis", "redis://10.0.0.5:6380");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"prefix\" : \"staging\"").contains("redis://10.0.0.5:6380");
    }

    @Test
    void theConfigFileCanComeFromTheEnvironment() throws IOException {
        Path file = write(ONE_GROUP + "jobrunner.redis.prefix = fromfile");
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
    void aBadExecutorBlockFailsWithItsPath() throws IOException {
        Path file = write(ONE_GROUP + "jobrunner.executors.sendMail { kind = http, url = \"ftp://example.org\" }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.executors.sendMail.url");
        assertThat(Cli.plain().runExactly("check-config", "--config", file.toString(), "--for", "chron").code())
                .as("the chron does not read executors").isZero();
    }

    @Test
    void aBadGitExecutorBlockFailsWithItsPathWithoutRedis() throws IOException {
        Path file = write(ONE_GROUP + "jobrunner.executors.\"git-sync\" { kind = git-sync, root = \"relative/dir\" }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.executors.git-sync.root").contains("absolute");
    }

    @Test
    void aBadGroupFailsWithItsPath() throws IOException {
        Path file = write("jobrunner.runner.groups.basic { slots = 2, types = [\"*\"], high-share = 1.5 }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString(), "--for", "runner");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.runner.groups.basic.high-share");
    }

    @Test
    void aBadRateLimitFailsWithItsPath() throws IOException {
        Path file = write(ONE_GROUP + "jobrunner.runner.rate-limits.per-queue { sendMail { limit = 10, burst = 20 } }");
        Cli.Result r = Cli.plain().runExactly("check-config", "--config", file.toString(), "--for", "runner");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.runner.rate-limits.per-queue.sendMail.burst").contains("1 to the limit (10)");
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
