package io.jobrunner.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors, help and version: exit codes and messages, no Redis needed. */
class UsageTest {

    @Test
    void noCommandPrintsTheCommandsAndExits2() {
        Cli.Result r = Cli.plain().runExactly();
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("missing command").contains("quickstart").contains("push").contains("check-config");
    }

    @Test
    void unknownCommandSuggestsAndExits2() {
        Cli.Result r = Cli.plain().runExactly("pusj");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("pusj");
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Cli.Result r = Cli.plain().runExactly("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("jobrunner ").doesNotContain("unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"runner", "chron", "quickstart", "push", "stats", "list", "run", "abandoned",
            "abandoned retry", "abandoned purge", "schedule", "schedule add", "schedule list", "schedule remove", "schedule pause",
            "schedule resume", "check-config", "job", "job show", "job delete", "job run-now", "job retry", "job cancel", "pause",
            "resume", "runners", "dashboard"})
    void everyCommandHasHelpWithTheCommonOptions(String command) {
        String[] words = (command + " --help").split(" ");
        Cli.Result r = Cli.plain().runExactly(words);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Usage: jobrunner " + command).contains("--help");
        if (!command.equals("abandoned") && !command.equals("schedule") && !command.equals("job")) {
            assertThat(r.out()).contains("--config").contains("--redis");
        }
    }

    @Test
    void pushNeedsATypeOrAFile() {
        Cli.Result r = Cli.plain().runExactly("push");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give a job TYPE, or --ndjson FILE").contains("jobrunner push --help");
    }

    @Test
    void pushRefusesParamsThatAreNotAJsonObject() {
        assertThat(Cli.plain().runExactly("push", "sendMail", "--params", "{not json").err())
                .contains("--params is not valid JSON");
        Cli.Result r = Cli.plain().runExactly("push", "sendMail", "--params", "[1,2]");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--params must be a JSON object");
    }

    @Test
    void pushRefusesAnInvalidTypeBeforeConnecting() {
        Cli.Result r = Cli.plain().runExactly("push", "bad type!", "--redis", "redis://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("invalid job field 'type'").contains("allowed");
    }

    @Test
    void pushRefusesABadDelay() {
        Cli.Result r = Cli.plain().runExactly("push", "sendMail", "--delay", "soon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--delay").contains("'soon' is not a duration such as 500ms");
    }

    @Test
    void pushRefusesNdjsonMixedWithJobFlags() {
        Cli.Result r = Cli.plain().runExactly("push", "--ndjson", "jobs.ndjson", "--domain", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--ndjson takes every job's fields from its lines");
    }

    @Test
    void listNeedsAType() {
        Cli.Result r = Cli.plain().runExactly("list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'TYPE'");
    }

    @Test
    void listRefusesAnUnknownState() {
        Cli.Result r = Cli.plain().runExactly("list", "sendMail", "--state", "lost");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--state").contains("READY");
    }

    @Test
    void abandonedNeedsAnAction() {
        Cli.Result r = Cli.plain().runExactly("abandoned");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing action: retry or purge");
    }

    @Test
    void abandonedRetryByIdNeedsOneType() {
        Cli.Result r = Cli.plain().runExactly("abandoned", "retry", "--id", "abc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--id needs exactly one --type");
    }

    @Test
    void statsCountNeedsWatch() {
        Cli.Result r = Cli.plain().runExactly("stats", "--count", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--count needs --watch");
    }

    @Test
    void unreachableRedisIsAFailureWithAClearMessage() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Cli.Result r = Cli.plain().runExactly("stats", "--redis", "redis://127.0.0.1:" + closedPort);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("Redis is not reachable").contains("127.0.0.1:" + closedPort);
    }

    @Test
    void aRedisUriThatIsNotOneIsAConfigError() {
        Cli.Result r = Cli.plain().runExactly("stats", "--redis", "http://127.0.0.1:6379");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("jobrunner.redis.uri").contains("must start with redis://");
    }
}
