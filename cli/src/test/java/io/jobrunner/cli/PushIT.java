package io.jobrunner.cli;

import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RedisExtension.class)
class PushIT {

    @TempDir
    Path dir;

    @Test
    void pushesOneJobFromFlags(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("push", "sendMail", "--domain", "wiki1", "--params", "{\"to\":\"a@example.org\"}");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("pushed ").contains("wiki1/sendMail");

        List<JobInfo> ready = redis.client().inspector().list(new QueueName("wiki1", "sendMail"), JobState.READY, 10);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0).job().params().get("to").asText()).isEqualTo("a@example.org");
        assertThat(r.out()).contains(ready.get(0).id());
    }

    @Test
    void anExpiringJobCarriesItsExpiryAndAnExpiredOneIsListed(TestRedis redis) {
        long before = System.currentTimeMillis();
        Cli.Result r = Cli.on(redis).run("push", "report", "--expire", "10m");
        assertThat(r.code()).as(r.toString()).isZero();
        QueueName queue = new QueueName("default", "report");
        JobInfo job = redis.client().inspector().list(queue, JobState.READY, 1).get(0);
        assertThat(job.job().expireAt()).isBetween(before + 600_000, System.currentTimeMillis() + 600_000);

        redis.client().consumer().claim(queue, 1, java.time.Duration.ofMinutes(1), java.time.Duration.ofMillis(1)).join();
        Cli.Result list = Cli.on(redis).run("list", "report", "--state", "expired");
        assertThat(list.out()).contains(job.id()).contains("expired: not started before");
    }

    @Test
    void aJobOfAHigherPriorityIsClaimedFirst(TestRedis redis) {
        assertThat(Cli.on(redis).run("push", "mail", "--params", "{\"n\":1}").code()).isZero();
        Cli.Result urgent = Cli.on(redis).run("push", "mail", "--params", "{\"n\":2}", "--priority", "7");
        assertThat(urgent.code()).as(urgent.toString()).isZero();
        QueueName queue = new QueueName("default", "mail");
        var claimed = redis.client().consumer().claim(queue, 2, java.time.Duration.ofMinutes(1)).join().jobs();
        assertThat(claimed).extracting(j -> j.job().params().get("n").asInt()).containsExactly(2, 1);
        assertThat(claimed.get(0).job().priority()).isEqualTo(7);

        Cli.Result bad = Cli.on(redis).run("push", "mail", "--priority", "10");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("priority").contains("0 to 9");
    }

    @Test
    void aUniqueJobHoldsItsKeyAsItsModeSays(TestRedis redis) throws java.io.IOException {
        Cli.Result first = Cli.on(redis).run("push", "report", "--params", "{\"day\":1,\"ts\":1}", "--unique", "until-finished",
                "--dedup-ignore", "ts");
        assertThat(first.code()).as(first.toString()).isZero();
        QueueName queue = new QueueName("default", "report");
        redis.client().consumer().claim(queue, 1, java.time.Duration.ofMinutes(1)).join();
        Cli.Result second = Cli.on(redis).run("push", "report", "--params", "{\"day\":1,\"ts\":2}", "--unique", "until-finished",
                "--dedup-ignore", "ts");
        assertThat(second.out()).as("held while the first runs").startsWith("duplicate").contains("(until-finished)");

        Path lines = Files.writeString(dir.resolve("unique.ndjson"), String.join("\n",
                "{\"type\":\"digest\", \"params\":{\"u\":1}, \"unique\":\"for:10m\"}",
                "{\"type\":\"digest\", \"params\":{\"u\":1}, \"unique\":\"for:10m\"}",
                "{\"type\":\"digest\", \"params\":{\"u\":2}, \"unique\":\"for:soon\"}", ""));
        Cli.Result file = Cli.on(redis).run("push", "--ndjson", lines.toString());
        assertThat(file.out() + file.err()).contains("line 3").contains("'soon' is not a duration");
        assertThat(redis.client().inspector().counts(new QueueName("default", "digest")).total()).isEqualTo(1);
        assertThat(redis.client().inspector().list(new QueueName("default", "digest"), JobState.READY, 1).get(0).job().unique())
                .isEqualTo(io.jobrunner.client.Uniqueness.forPeriod(java.time.Duration.ofMinutes(10)));

        Cli.Result bad = Cli.on(redis).run("push", "report", "--unique", "forever");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("'forever' is not a uniqueness mode").contains("until-started");
    }

    @Test
    void aDelayedJobWaitsInTheDelayedSet(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("push", "digest", "--delay", "1h");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("delayed until");
        QueueCounts counts = redis.client().inspector().counts(new QueueName("default", "digest"));
        assertThat(counts.delayed()).isEqualTo(1);
        assertThat(counts.ready()).isZero();
    }

    @Test
    void aDelayNeedsAUnitSoFiveIsNeverFiveMilliseconds(TestRedis redis) {
        Cli.Result bare = Cli.on(redis).run("push", "digest", "--delay", "5");
        assertThat(bare.code()).as(bare.toString()).isEqualTo(2);
        assertThat(bare.err()).contains("'5' has no unit").contains("5s for seconds").contains("5ms for milliseconds");
        assertThat(redis.client().inspector().counts(new QueueName("default", "digest")).total()).as("nothing pushed").isZero();

        Cli.Result seconds = Cli.on(redis).run("push", "digest", "--delay", "5s", "--json");
        assertThat(seconds.code()).as(seconds.toString()).isZero();
        var json = InspectIT.readJson(seconds.out());
        java.time.Duration ahead = java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(json.get("releaseAt").asText()));
        assertThat(ahead).isBetween(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(5));
    }

    @Test
    void pushWithJsonAndAnIdPrintsTheResultAndARepeatIsADuplicate(TestRedis redis) {
        Cli cli = Cli.on(redis);
        Cli.Result first = cli.run("push", "sendMail", "--id", "mail-42", "--domain", "wiki1", "--json");
        assertThat(first.code()).as(first.toString()).isZero();
        var json = InspectIT.readJson(first.out());
        assertThat(json.get("id").asText()).isEqualTo("mail-42");
        assertThat(json.get("queue").asText()).isEqualTo("wiki1/sendMail");
        assertThat(json.get("pushed").asBoolean()).isTrue();
        assertThat(json.get("releaseAt").isNull()).isTrue();

        Cli.Result again = cli.run("push", "sendMail", "--id", "mail-42", "--domain", "wiki1", "--json");
        assertThat(InspectIT.readJson(again.out()).get("duplicate").asBoolean()).isTrue();
        Cli.Result human = cli.run("push", "sendMail", "--id", "mail-42", "--domain", "wiki1");
        assertThat(human.out()).startsWith("duplicate: not pushed, wiki1/sendMail already holds job mail-42");
        assertThat(redis.client().inspector().counts(new QueueName("wiki1", "sendMail")).ready()).isEqualTo(1);
        assertThat(cli.run("push", "sendMail", "--id", "not an id!").err()).contains("id");
    }

    @Test
    void metadataFromFlagsAndFromLinesTravelsWithTheJobAndBadMetadataIsRefused(TestRedis redis) throws IOException {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Cli.Result r = Cli.on(redis).run("push", "render", "--id", "m-1", "--meta", "traceparent=" + traceparent, "--meta", "tenant=acme");
        assertThat(r.code()).as(r.toString()).isZero();
        QueueName queue = new QueueName("default", "render");
        JobInfo flagged = redis.client().operations().find(queue, "m-1").orElseThrow();
        assertThat(flagged.job().metadata()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("traceparent", traceparent, "tenant", "acme"));

        Cli.Result bad = Cli.on(redis).run("push", "render", "--id", "m-2", "--meta", "tenant=caf\u00e9");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("--meta").contains("metadata.tenant").contains("printable ASCII");
        assertThat(redis.client().operations().find(queue, "m-2")).as("nothing pushed").isEmpty();

        Path file = dir.resolve("meta.ndjson");
        Files.write(file, List.of("{\"id\":\"m-3\",\"type\":\"render\",\"metadata\":{\"traceparent\":\"" + traceparent + "\"}}",
                "{\"id\":\"m-4\",\"type\":\"render\",\"metadata\":{\"n\":7}}",
                "{\"id\":\"m-5\",\"type\":\"render\",\"metadata\":[\"x\"]}"));
        var summary = InspectIT.readJson(Cli.on(redis).run("push", "--ndjson", file.toString(), "--json").out());
        assertThat(summary.get("pushed").asLong()).isEqualTo(1);
        assertThat(summary.get("rejections").toString()).contains("\"line\":2").contains("metadata.n").contains("\"line\":3");
        assertThat(redis.client().operations().find(queue, "m-3").orElseThrow().job().metadata()).containsEntry("traceparent", traceparent);

        Cli.Result mixed = Cli.on(redis).run("push", "--ndjson", file.toString(), "--meta", "a=b");
        assertThat(mixed.code()).isEqualTo(2);
        assertThat(mixed.err()).contains("--meta");
    }

    @Test
    void aFileWithIdsCanBeRerunWithoutPushingTwice(TestRedis redis) throws IOException {
        Path file = dir.resolve("ids.ndjson");
        Files.write(file, List.of("{\"id\":\"r-1\",\"type\":\"render\"}", "{\"id\":\"r-2\",\"type\":\"render\",\"domain\":\"w2\"}",
                "{\"id\":7,\"type\":\"render\"}", "{\"type\":\"render\",\"delay\":\"30\"}"));
        Cli.Result first = Cli.on(redis).run("push", "--ndjson", file.toString(), "--json");
        var summary = InspectIT.readJson(first.out());
        assertThat(summary.get("pushed").asLong()).isEqualTo(2);
        assertThat(summary.get("rejected").asLong()).isEqualTo(2);
        assertThat(summary.get("rejections").toString()).contains("\"line\":3").contains("id").contains("\"line\":4").contains("has no unit");

        Cli.Result rerun = Cli.on(redis).run("push", "--ndjson", file.toString(), "--json");
        var second = InspectIT.readJson(rerun.out());
        assertThat(second.get("pushed").asLong()).isZero();
        assertThat(second.get("duplicates").asLong()).as("the ids are stored: a re-run adds nothing").isEqualTo(2);
        assertThat(redis.client().inspector().counts(new QueueName("default", "render")).ready()).isEqualTo(1);
        assertThat(redis.client().inspector().counts(new QueueName("w2", "render")).ready()).isEqualTo(1);
    }

    @Test
    void aDuplicateIsReportedAndIsNotAFailure(TestRedis redis) {
        Cli cli = Cli.on(redis);
        assertThat(cli.run("push", "refresh", "--params", "{\"page\":\"Main\",\"ts\":1}", "--dedup-ignore", "ts").code()).isZero();
        Cli.Result second = cli.run("push", "refresh", "--params", "{\"page\":\"Main\",\"ts\":2}", "--dedup-ignore", "ts");
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.out()).startsWith("duplicate:");
        assertThat(redis.client().inspector().counts(new QueueName("default", "refresh")).ready()).isEqualTo(1);
    }

    @Test
    void pushesAFileOfGoodAndBadLinesReportingEveryBadOne(TestRedis redis) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            lines.add("{\"type\":\"render\",\"domain\":\"d" + (i % 3) + "\",\"params\":{\"n\":" + i + "}}");
        }
        lines.set(10, "{\"type\":\"render\",\"params\":[1]}");                 // params not an object
        lines.set(500, "not json at all");
        lines.set(700, "{\"domain\":\"d1\"}");                                  // no type
        lines.set(900, "{\"type\":\"render\",\"parms\":{}}");                  // misspelt field
        lines.set(1100, "{\"type\":\"render\",\"delay\":\"later\"}");          // bad duration
        lines.add("");                                                          // blank: skipped
        lines.add("{\"type\":\"later\",\"delay\":\"1h\"}");
        lines.add("{\"type\":\"once\",\"dedup\":true,\"params\":{\"k\":1}}");
        lines.add("{\"type\":\"once\",\"dedup\":true,\"params\":{\"k\":1}}");   // duplicate of the line above
        Path file = dir.resolve("jobs.ndjson");
        Files.write(file, lines);
        Path rejects = dir.resolve("rejects.ndjson");

        Cli.Result r = Cli.on(redis).run("push", "--ndjson", file.toString(), "--batch-size", "100", "--in-flight", "3",
                "--rejects", rejects.toString());

        assertThat(r.code()).as("rejected lines make exit 1: " + r).isEqualTo(1);
        assertThat(r.out()).contains("1204 lines: 1197 pushed, 1 duplicates, 5 rejected, 1 blank skipped");
        assertThat(r.out())
                .contains("line 11: invalid job field 'params'")
                .contains("line 501: not valid JSON")
                .contains("line 701: invalid job field 'type': missing")
                .contains("line 901: unknown field 'parms'")
                .contains("line 1101: 'later' is not a duration");
        assertThat(Files.readAllLines(rejects)).hasSize(5).allMatch(l -> l.startsWith("{\"line\":"));

        JobRunnerClient client = redis.client();
        long render = 0;
        for (String d : List.of("d0", "d1", "d2")) {
            render += client.inspector().counts(new QueueName(d, "render")).ready();
        }
        assertThat(render).isEqualTo(1195);
        assertThat(client.inspector().counts(new QueueName("default", "later")).delayed()).isEqualTo(1);
        assertThat(client.inspector().counts(new QueueName("default", "once")).ready()).isEqualTo(1);
    }

    @Test
    void aJobOverThePayloadCapIsRejectedAndTheRestOfItsBatchIsPushed(TestRedis redis) throws IOException {
        Path config = dir.resolve("small.conf");
        Files.writeString(config, "jobrunner.redis.max-payload = 100B");
        String big = "x".repeat(200);
        Path file = dir.resolve("jobs.ndjson");
        Files.write(file, List.of(
                "{\"type\":\"a\",\"params\":{\"n\":1}}",
                "{\"type\":\"a\",\"params\":{\"blob\":\"" + big + "\"}}",
                "{\"type\":\"a\",\"params\":{\"n\":3}}"));

        Cli.Result r = Cli.on(redis).run("push", "--ndjson", file.toString(), "--config", config.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("3 lines: 2 pushed, 0 duplicates, 1 rejected").contains("line 2: invalid job field 'params'");
        assertThat(redis.client().inspector().counts(new QueueName("default", "a")).ready()).isEqualTo(2);
    }

    @Test
    void readsStdinAndExits0WhenEveryLineWasPushed(TestRedis redis) {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            input.append("{\"type\":\"fromStdin\",\"params\":{\"i\":").append(i).append("}}\n");
        }
        Cli.Result r = Cli.on(redis).stdin(input.toString()).run("push", "--ndjson", "-");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("stdin: 50 lines: 50 pushed, 0 duplicates, 0 rejected");
        assertThat(redis.client().inspector().counts(new QueueName("default", "fromStdin")).ready()).isEqualTo(50);
    }

    @Test
    void showsPlainProgressLinesWhenNotOnATerminal(TestRedis redis) throws IOException {
        Path file = dir.resolve("jobs.ndjson");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            lines.add("{\"type\":\"bulk\",\"params\":{\"i\":" + i + "}}");
        }
        Files.write(file, lines);
        Cli.Result r = Cli.on(redis).run("push", "--ndjson", file.toString(), "--progress-interval", "100ms");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("20000 lines: 20000 pushed");
        assertThat(r.err()).doesNotContain("\r").doesNotContain("\u001b[");
        assertThat(redis.client().inspector().counts(new QueueName("default", "bulk")).ready()).isEqualTo(20_000);
    }

    @Test
    void drawsABarOnATerminal(TestRedis redis) throws IOException {
        Path file = dir.resolve("jobs.ndjson");
        Files.write(file, List.of("{\"type\":\"bar\"}", "{\"type\":\"bar\"}"));
        Cli.Result r = Cli.on(redis).terminal(true).run("push", "--ndjson", file.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("\r[").contains("100%").contains("2 pushed");
    }

    @Test
    void aMissingFileIsAUsageError(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("push", "--ndjson", dir.resolve("absent.ndjson").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read").contains("absent.ndjson");
    }
}
