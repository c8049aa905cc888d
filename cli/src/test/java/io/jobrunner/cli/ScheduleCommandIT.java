package io.jobrunner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Schedule;
import io.jobrunner.client.ScheduleInfo;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jobrunner schedule add|list|remove|pause|resume}, and the schedules in {@code stats}. */
@ExtendWith(RedisExtension.class)
class ScheduleCommandIT {

    @Test
    void addThenListShowsTheScheduleWithItsNextTick(TestRedis redis) throws Exception {
        Cli cli = Cli.on(redis);
        Cli.Result added = cli.run("schedule", "add", "nightly", "--cron", "0 3 * * *", "--zone", "Europe/Berlin", "--type", "report",
                "--domain", "shop", "--params", "{\"full\":true}", "--missed", "once");
        assertThat(added.code()).as(added.toString()).isZero();
        assertThat(added.out()).contains("schedule nightly: '0 3 * * *' in Europe/Berlin pushes shop/report; next tick 20");

        ScheduleInfo stored = redis.client().schedules().get("nightly").orElseThrow();
        assertThat(stored.schedule().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(stored.schedule().params().get("full").asBoolean()).isTrue();

        Cli.Result table = cli.run("schedule", "list");
        assertThat(table.out()).contains("SCHEDULE").contains("nightly").contains("shop/report").contains("once").contains("active");

        JsonNode json = JobCodec.mapper().readTree(cli.run("schedule", "list", "--json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("name").asText()).isEqualTo("nightly");
        assertThat(json.get(0).get("source").asText()).isEqualTo("api");
        assertThat(json.get(0).get("lastTick").isNull()).isTrue();
        assertThat(json.get(0).get("nextTick").asText()).endsWith("Z");

        Cli.Result stats = cli.run("stats");
        assertThat(stats.out()).contains("nightly");
        JsonNode statsJson = JobCodec.mapper().readTree(cli.run("stats", "--json").out());
        assertThat(statsJson.get("schedules").get(0).get("name").asText()).isEqualTo("nightly");
    }

    @Test
    void pauseResumeRemove(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.schedules().add(Schedule.of("hourly", "0 * * * *", "ping"));
        Cli cli = Cli.on(redis);

        assertThat(cli.run("schedule", "pause", "hourly").out()).contains("schedule hourly: paused");
        assertThat(client.schedules().get("hourly").orElseThrow().paused()).isTrue();
        assertThat(cli.run("schedule", "list").out()).contains("paused");
        assertThat(cli.run("schedule", "resume", "hourly").out()).contains("schedule hourly: resumed");
        assertThat(client.schedules().get("hourly").orElseThrow().paused()).isFalse();
        assertThat(cli.run("schedule", "remove", "hourly").out()).contains("schedule hourly: removed");
        assertThat(client.schedules().list()).isEmpty();
        assertThat(cli.run("schedule", "list").out()).contains("no schedules");
    }

    @Test
    void anUnknownScheduleFailsWithItsName(TestRedis redis) {
        Cli.Result r = Cli.on(redis).run("schedule", "pause", "nosuch");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no schedule named 'nosuch'");
    }

    @Test
    void badInputIsAUsageErrorThatNamesTheFieldAndStoresNothing(TestRedis redis) {
        Cli cli = Cli.on(redis);
        Cli.Result cron = cli.run("schedule", "add", "n", "--cron", "0 3 * *", "--type", "report");
        assertThat(cron.code()).isEqualTo(2);
        assertThat(cron.err()).contains("'cron'").contains("found 4");
        Cli.Result zone = cli.run("schedule", "add", "n", "--cron", "0 3 * * *", "--zone", "Nowhere/Else", "--type", "report");
        assertThat(zone.code()).isEqualTo(2);
        assertThat(zone.err()).contains("'zone'");
        Cli.Result missed = cli.run("schedule", "add", "n", "--cron", "0 3 * * *", "--type", "report", "--missed", "twice");
        assertThat(missed.code()).isEqualTo(2);
        assertThat(missed.err()).contains("skip, once or all");
        Cli.Result params = cli.run("schedule", "add", "n", "--cron", "0 3 * * *", "--type", "report", "--params", "[1]");
        assertThat(params.code()).isEqualTo(2);
        assertThat(params.err()).contains("'params'");
        Cli.Result json = cli.run("schedule", "add", "n", "--cron", "0 3 * * *", "--type", "report", "--params", "{x");
        assertThat(json.code()).isEqualTo(2);
        assertThat(json.err()).contains("--params is not valid JSON");
        Cli.Result noAction = Cli.plain().runExactly("schedule");
        assertThat(noAction.code()).isEqualTo(2);
        assertThat(noAction.err()).contains("missing action");
        assertThat(redis.client().schedules().list()).isEmpty();
    }
}
