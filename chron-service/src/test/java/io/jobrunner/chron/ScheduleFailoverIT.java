package io.jobrunner.chron;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.Schedule;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestClock;
import io.jobrunner.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A nightly schedule across chron failovers at the tick: two chron processes (Chron instances with clients of their
 * own) share Redis and a test clock; each night the clock reaches 03:00 Europe/Berlin and the leader is killed at
 * that moment (its lease is not released), so it may have fired the tick, be firing it, or not have got to it.
 * Whatever it did, the successor must bring the count to exactly one job per night.
 */
@ExtendWith(RedisExtension.class)
class ScheduleFailoverIT {

    private static final String[] FAST = {"lease-ttl = 600ms", "interval = 50ms", "repair-interval = 1s"};
    private static final QueueName QUEUE = new QueueName("shop", "nightlyReport");
    private static final Schedule NIGHTLY = Schedule.of("nightly", "0 3 * * *", "nightlyReport").inDomain("shop")
            .inZone(ZoneId.of("Europe/Berlin"));

    private final List<Chron> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Chron::stop);
    }

    private Chron start(TestRedis redis, TestClock clock) {
        Chron chron = TestConfigs.chron(redis.client(clock), FAST);
        started.add(chron);
        chron.start();
        return chron;
    }

    private static long scheduleRuns(Chron chron) {
        return chron.status().duties().get(ScheduleFirer.NAME).runs();
    }

    @Test
    void aNightlyScheduleFiresOncePerTickAcrossAForcedFailoverAtTheTick(TestRedis redis) {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T01:59:50Z")); // 02:59:50 in Berlin
        JobRunnerClient observer = redis.client(clock);
        observer.schedules().add(NIGHTLY);
        Chron leader = start(redis, clock);
        await().atMost(Duration.ofSeconds(5)).until(leader::isLeader);
        Chron standby = start(redis, clock);

        int nights = 4;
        for (int night = 1; night <= nights; night++) {
            Instant tick = Instant.parse("2030-01-01T02:00:00Z").plus(Duration.ofDays(night - 1));
            clock.set(tick);          // 03:00 in Berlin: the leader's next run fires the tick...
            leader.kill();            // ...unless it dies first, or while doing it
            Chron successor = standby;
            await("night " + night + ": the standby takes over").atMost(Duration.ofSeconds(5)).until(successor::isLeader);
            long runs = scheduleRuns(successor);
            await("night " + night + ": the successor's schedule duty ran twice").atMost(Duration.ofSeconds(5))
                    .until(() -> scheduleRuns(successor) >= runs + 2);

            assertThat(observer.inspector().counts(QUEUE).ready()).as("jobs after night %d", night).isEqualTo(night);
            assertThat(observer.schedules().get("nightly").orElseThrow().lastTick()).isEqualTo(tick);

            leader = successor;
            standby = start(redis, clock); // the killed process comes back as a standby
            clock.set(tick.plus(Duration.ofHours(12)));
        }
        assertThat(observer.inspector().counts(QUEUE).ready()).isEqualTo(nights);
    }

    @Test
    void theLeaderFiresTheTickOnTimeAndTheStatusShowsLastAndNext(TestRedis redis) {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T01:59:50Z"));
        JobRunnerClient observer = redis.client(clock);
        Chron chron = Chron.create(TestConfigs.config(
                        "jobrunner.chron { lease-ttl = 600ms, interval = 50ms }",
                        "jobrunner.schedules.nightly { cron = \"0 3 * * *\", zone = \"Europe/Berlin\", type = nightlyReport, domain = shop }"),
                redis.client(clock), new com.codahale.metrics.MetricRegistry());
        started.add(chron);
        chron.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.schedules().get("nightly").isPresent());
        Chron.ScheduleStatus before = chron.status().schedules().get(0);
        assertThat(before.nextTick()).isEqualTo("2030-01-01T02:00:00Z");
        assertThat(before.lastTick()).isNull();

        clock.set(Instant.parse("2030-01-01T02:00:00Z"));

        await().atMost(Duration.ofSeconds(5)).until(() -> observer.inspector().counts(QUEUE).ready() == 1);
        Chron.ScheduleStatus after = chron.status().schedules().get(0);
        assertThat(after.lastTick()).isEqualTo("2030-01-01T02:00:00Z");
        assertThat(after.nextTick()).isEqualTo("2030-01-02T02:00:00Z");
        assertThat(after.queue()).isEqualTo("shop/nightlyReport");
        long runs = scheduleRuns(chron);
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduleRuns(chron) >= runs + 3);
        assertThat(observer.inspector().counts(QUEUE).ready()).as("still one").isEqualTo(1);
    }

    @Test
    void afterADowntimeMissedTicksFollowThePolicyAndAPausedScheduleFiresNothing(TestRedis redis) {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        JobRunnerClient observer = redis.client(clock);
        observer.schedules().add(Schedule.of("once", "0 * * * *", "catchUp").onMissed(io.jobrunner.client.MissedTicks.ONCE));
        observer.schedules().add(Schedule.of("all", "0 * * * *", "everyHour").onMissed(io.jobrunner.client.MissedTicks.ALL));
        observer.schedules().add(Schedule.of("skip", "0 * * * *", "skipped"));
        observer.schedules().add(Schedule.of("held", "0 * * * *", "held").onMissed(io.jobrunner.client.MissedTicks.ALL));
        observer.schedules().pause("held");

        clock.set(Instant.parse("2030-01-01T05:30:00Z")); // five hourly ticks missed while no chron ran
        Chron chron = start(redis, clock);
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.inspector().counts(new QueueName("default", "everyHour")).ready() == 5);
        long runs = scheduleRuns(chron);
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduleRuns(chron) >= runs + 2);

        assertThat(observer.inspector().counts(new QueueName("default", "catchUp")).ready()).isEqualTo(1);
        assertThat(observer.inspector().counts(new QueueName("default", "everyHour")).ready()).isEqualTo(5);
        assertThat(observer.inspector().counts(new QueueName("default", "skipped")).ready()).isZero();
        assertThat(observer.inspector().counts(new QueueName("default", "held")).ready()).isZero();

        observer.schedules().resume("held");
        clock.set(Instant.parse("2030-01-01T06:00:00Z"));
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.inspector().counts(new QueueName("default", "held")).ready() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> observer.inspector().counts(new QueueName("default", "skipped")).ready() == 1);
        long again = scheduleRuns(chron);
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduleRuns(chron) >= again + 2);
        assertThat(observer.inspector().counts(new QueueName("default", "held")).ready()).as("no backlog after resume").isEqualTo(1);
    }
}
