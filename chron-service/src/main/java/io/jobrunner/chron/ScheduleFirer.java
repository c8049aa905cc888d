package io.jobrunner.chron;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.Schedule;
import io.jobrunner.client.Schedules;
import io.jobrunner.client.StoredSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The recurring-schedule duty ({@code schedules}), run by the leader only:
 * <ol>
 *   <li>on its first run as leader, writes the schedules of this chron's config ({@code jobrunner.schedules}) to
 *       Redis, and removes those written from config earlier that the config no longer has;</li>
 *   <li>each run reads every schedule, its pause and its last handled tick (a few round trips, however many
 *       schedules), and plans each one ({@link TickPlan}: on-time ticks fire, missed ones follow the schedule's
 *       policy, a paused schedule's ticks are skipped);</li>
 *   <li>skips, then fires, through {@link Schedules#skip} and {@link Schedules#fire}: each tick is handled by one
 *       atomic script that refuses a tick at or before the schedule's mark, so <b>a tick pushes exactly one job</b>
 *       even when two leaders overlap (an old one whose call was in flight when its lease ran out) or when a
 *       leader dies mid-run and its successor plans the same ticks again;</li>
 *   <li>sleeps until the earliest next tick, at most {@code interval}, so a tick fires within milliseconds of its
 *       time (of the chron's clock).</li>
 * </ol>
 * A schedule that fails (Redis error, unreadable definition) is logged and counted; the others go on.
 */
final class ScheduleFirer implements Duty {

    static final String NAME = "schedules";
    static final String FIRED = "fired";
    static final String SKIPPED = "skipped";
    private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);
    private static final Duration MIN_WAIT = Duration.ofMillis(5);

    private final Schedules schedules;
    private final List<Schedule> configured;
    private final ChronSettings settings;
    private final ChronMetrics metrics;
    private final Clock clock;
    private volatile boolean configWritten;
    private volatile long nextTick;

    ScheduleFirer(JobRunnerClient client, List<Schedule> configured, ChronSettings settings, ChronMetrics metrics) {
        this.schedules = client.schedules();
        this.configured = List.copyOf(configured);
        this.settings = settings;
        this.metrics = metrics;
        this.clock = client.clock();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Long> run(BooleanSupplier stillLeader) {
        Tally tally = new Tally(metrics);
        if (!configWritten) {
            writeConfigured();
            configWritten = true;
        }
        Map<String, StoredSchedule> defs = schedules.definitions();
        Map<String, Long> paused = schedules.paused();
        Map<String, Long> marks = schedules.lastTicks(defs.values().stream().map(StoredSchedule::schedule).toList());
        long now = clock.millis();
        long earliestNext = Long.MAX_VALUE;
        for (StoredSchedule stored : defs.values()) {
            if (!stillLeader.getAsBoolean()) {
                break;
            }
            Schedule s = stored.schedule();
            long mark = Math.max(marks.getOrDefault(s.name(), 0L), stored.since());
            try {
                handle(s, TickPlan.of(s.cron(), s.zone(), mark, now, settings.scheduleTiming().grace().toMillis(), s.missed(),
                        settings.scheduleTiming().maxCatchUp(), paused.containsKey(s.name())), tally);
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                metrics.dutyErrors(NAME).mark();
                log.warn("schedule {}: firing failed, trying again next run: {}", s.name(), e.toString());
            }
            long next = s.cron().next(Instant.ofEpochMilli(now), s.zone()).map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
            earliestNext = Math.min(earliestNext, next);
        }
        nextTick = earliestNext;
        tally.note(NAME, defs.size());
        return tally.counts();
    }

    private void handle(Schedule s, TickPlan plan, Tally tally) {
        if (plan.skipThrough() > 0 && schedules.skip(s, plan.skipThrough())) {
            tally.add(SKIPPED, s.type(), plan.skipped());
            log.info("schedule {}: skipped {} tick(s) through {} (missed = {}, or paused)", s.name(), plan.skipped(),
                    Instant.ofEpochMilli(plan.skipThrough()), s.missed().configName());
        }
        for (long tick : plan.fire()) {
            Schedules.Fired fired = schedules.fire(s, tick);
            if (fired.pushed()) {
                tally.add(FIRED, s.type(), 1);
                log.info("schedule {}: fired tick {} as job {} in {}", s.name(), Instant.ofEpochMilli(tick), fired.jobId(), s.queue());
            } else if (fired.handled()) {
                log.warn("schedule {}: tick {} handled, but its job was a duplicate of one still waiting", s.name(), Instant.ofEpochMilli(tick));
            }
        }
    }

    private void writeConfigured() {
        int written = 0;
        for (Schedule s : configured) {
            if (schedules.put(s, StoredSchedule.CONFIG)) {
                written++;
            }
        }
        List<String> removed = schedules.removeConfiguredExcept(configured.stream().map(Schedule::name).toList());
        if (written > 0 || !removed.isEmpty()) {
            log.info("schedules from config: {} written, {} removed {}", written, removed.size(), removed);
        }
    }

    /** Until the earliest next tick seen by the last run, within [5ms, interval]. */
    @Override
    public Duration nextDelay() {
        Duration max = Jitter.shorten(settings.interval());
        long untilNext = nextTick - clock.millis();
        if (untilNext >= max.toMillis()) {
            return max;
        }
        return Duration.ofMillis(Math.max(untilNext + 1, MIN_WAIT.toMillis()));
    }
}
