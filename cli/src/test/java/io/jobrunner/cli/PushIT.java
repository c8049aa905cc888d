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
    void aDelayedJobWaitsInTheDelayedSet(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("push", "digest", "--delay", "1h");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("delayed until");
        QueueCounts counts = redis.client().inspector().counts(new QueueName("default", "digest"));
        assertThat(counts.delayed()).isEqualTo(1);
        assertThat(counts.ready()).isZero();
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
