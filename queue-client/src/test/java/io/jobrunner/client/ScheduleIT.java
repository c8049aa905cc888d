package io.jobrunner.client;

import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jobrunner.client.TestSupport.assertBadArgs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schedules in Redis, and schedule-fire.lua: one job per tick, whoever fires it and how often. */
@ExtendWith(RedisExtension.class)
class ScheduleIT {

    private static final Schedule NIGHTLY = Schedule.of("nightly", "0 3 * * *", "report").inZone(ZoneId.of("Europe/Berlin"))
            .inDomain("shop").withParams(JobCodec.mapper().createObjectNode().put("full", true));
    private static final long TICK = Instant.parse("2030-01-02T02:00:00Z").toEpochMilli();

    @Test
    void aTickFiresOneJobWithTheScheduleParamsAndTheTickAsDedupKey(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Schedules schedules = client.schedules();

        Schedules.Fired fired = schedules.fire(NIGHTLY, TICK);

        assertThat(fired.handled()).isTrue();
        assertThat(fired.pushed()).isTrue();
        ClaimedJob job = TestSupport.claimOne(client, NIGHTLY.queue());
        assertThat(job.id()).isEqualTo(fired.jobId());
        assertThat(job.job().params().get("full").asBoolean()).isTrue();
        assertThat(job.job().dedupKey()).isEqualTo("schedule:nightly@" + TICK);
        assertThat(client.registry().readyQueues().join()).as("the queue was registered").containsKey(NIGHTLY.queue());
        assertThat(schedules.lastTicks(List.of(NIGHTLY))).containsEntry("nightly", TICK);
    }

    @Test
    void theSameTickOrAnEarlierOneIsRefusedEvenAfterItsJobWasAcked(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Schedules schedules = client.schedules();
        schedules.fire(NIGHTLY, TICK);
        ClaimedJob job = TestSupport.claimOne(client, NIGHTLY.queue());
        client.consumer().ack(NIGHTLY.queue(), List.of(job.ref())).join();

        Schedules.Fired again = schedules.fire(NIGHTLY, TICK);
        Schedules.Fired earlier = schedules.fire(NIGHTLY, TICK - 86_400_000);

        assertThat(again.handled()).isFalse();
        assertThat(again.pushed()).isFalse();
        assertThat(earlier.handled()).isFalse();
        assertThat(client.inspector().counts(NIGHTLY.queue()).ready()).isZero();
        assertThat(schedules.fire(NIGHTLY, TICK + 86_400_000).pushed()).as("the next tick fires").isTrue();
    }

    @Test
    void aSkippedTickMovesTheMarkWithoutAJob(TestRedis redis) {
        JobRunnerClient client = redis.client();
        Schedules schedules = client.schedules();

        assertThat(schedules.skip(NIGHTLY, TICK)).isTrue();
        assertThat(schedules.skip(NIGHTLY, TICK)).as("already handled").isFalse();

        assertThat(client.inspector().counts(NIGHTLY.queue()).ready()).isZero();
        assertThat(schedules.fire(NIGHTLY, TICK).handled()).isFalse();
        assertThat(schedules.lastTicks(List.of(NIGHTLY))).containsEntry("nightly", TICK);
    }

    @Test
    void twoLeadersFiringTheSameTicksAtOncePushOneJobPerTick(TestRedis redis) throws Exception {
        JobRunnerClient a = redis.client();
        JobRunnerClient b = redis.client();
        int ticks = 200;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> pushed = new ArrayList<>();
            for (JobRunnerClient client : List.of(a, b)) {
                pushed.add(pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 1; i <= ticks; i++) {
                        n += client.schedules().fire(NIGHTLY, TICK + i * 1000L).pushed() ? 1 : 0;
                    }
                    return n;
                }));
            }
            start.countDown();
            int total = pushed.get(0).get(30, TimeUnit.SECONDS) + pushed.get(1).get(30, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(ticks);
            assertThat(a.inspector().counts(NIGHTLY.queue()).ready()).isEqualTo(ticks);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void scheduleFireRejectsBadArguments(TestRedis redis) {
        QueueScripts scripts = TestSupport.scripts(redis.client());
        assertBadArgs("schedule-fire", () -> TestSupport.join(scripts.scheduleFire(NIGHTLY.queue(), "nightly", 0, null, null, null)));
        assertBadArgs("schedule-fire", () -> TestSupport.join(scripts.scheduleFire(NIGHTLY.queue(), "nightly", -5, null, null, null)));
    }

    @Test
    void addListPauseResumeRemove(TestRedis redis) {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T12:00:00Z"));
        Schedules schedules = redis.client(clock).schedules();

        schedules.add(NIGHTLY);
        ScheduleInfo info = schedules.get("nightly").orElseThrow();
        assertThat(info.schedule()).isEqualTo(NIGHTLY);
        assertThat(info.stored().source()).isEqualTo(StoredSchedule.API);
        assertThat(info.stored().since()).isEqualTo(clock.millis());
        assertThat(info.lastTick()).isNull();
        assertThat(info.nextTick()).isEqualTo(Instant.parse("2030-01-02T02:00:00Z"));

        assertThat(schedules.pause("nightly")).isTrue();
        assertThat(schedules.get("nightly").orElseThrow().paused()).isTrue();
        assertThat(schedules.get("nightly").orElseThrow().nextTick()).as("none while paused").isNull();
        assertThat(schedules.resume("nightly")).isTrue();
        assertThat(schedules.get("nightly").orElseThrow().paused()).isFalse();

        schedules.fire(NIGHTLY, TICK);
        assertThat(schedules.remove("nightly")).isTrue();
        assertThat(schedules.list()).isEmpty();
        assertThat(schedules.lastTicks(List.of(NIGHTLY))).as("its mark went with it").isEmpty();
        assertThat(schedules.remove("nightly")).isFalse();
        assertThat(schedules.pause("nightly")).isFalse();
        assertThat(schedules.resume("nightly")).isFalse();
    }

    @Test
    void rewritingTheSameDefinitionKeepsItsSinceAndAChangeRenewsIt(TestRedis redis) {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T12:00:00Z"));
        Schedules schedules = redis.client(clock).schedules();
        assertThat(schedules.put(NIGHTLY, StoredSchedule.CONFIG)).isTrue();
        long since = clock.millis();

        clock.advance(Duration.ofHours(1));
        assertThat(schedules.put(NIGHTLY, StoredSchedule.CONFIG)).isFalse();
        assertThat(schedules.get("nightly").orElseThrow().stored().since()).isEqualTo(since);

        assertThat(schedules.put(NIGHTLY.onMissed(MissedTicks.ALL), StoredSchedule.CONFIG)).isTrue();
        assertThat(schedules.get("nightly").orElseThrow().stored().since()).isEqualTo(clock.millis());
    }

    @Test
    void configuredSchedulesLeftOutOfTheConfigAreRemovedButNotThoseFromTheApi(TestRedis redis) {
        Schedules schedules = redis.client().schedules();
        schedules.put(NIGHTLY, StoredSchedule.CONFIG);
        schedules.put(Schedule.of("old", "0 4 * * *", "report"), StoredSchedule.CONFIG);
        schedules.add(Schedule.of("manual", "0 5 * * *", "report"));

        assertThat(schedules.removeConfiguredExcept(List.of("nightly"))).containsExactly("old");

        assertThat(schedules.list()).extracting(i -> i.schedule().name()).containsExactly("manual", "nightly");
    }

    @Test
    void anUnreadableDefinitionIsLeftOutAndTheOthersStillList(TestRedis redis) {
        JobRunnerClient client = redis.client();
        client.schedules().add(NIGHTLY);
        client.redis().hset(client.keys().schedules(), "broken", "{not json");
        client.redis().hset(client.keys().schedules(), "badcron", "{\"cron\":\"0 99 * * *\",\"type\":\"x\"}");

        assertThat(client.schedules().list()).extracting(i -> i.schedule().name()).containsExactly("nightly");
    }

    @Test
    void badSchedulesAreRejectedBeforeRedis() {
        assertThatThrownBy(() -> Schedule.of("bad name", "0 3 * * *", "report")).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("'name'");
        assertThatThrownBy(() -> Schedule.of("n", "0 3 * * *", "bad type")).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("'type'");
        assertThatThrownBy(() -> Schedule.zone("Mars/Olympus")).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("'zone'");
        assertThatThrownBy(() -> MissedTicks.parse("sometimes")).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("skip, once or all");
        assertThatThrownBy(() -> NIGHTLY.withParams(JobCodec.mapper().createArrayNode())).isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("'params'");
    }
}
