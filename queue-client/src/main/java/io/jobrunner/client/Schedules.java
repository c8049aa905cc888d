package io.jobrunner.client;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Recurring schedules, stored in Redis so every chron (and every operator's tool) sees the same set:
 * <ol>
 *   <li>definitions in {@code jr:schedules} (name to JSON, {@link StoredSchedule}); pauses in
 *       {@code jr:schedules:paused} (name to when), kept apart so a chron re-writing a configured schedule at
 *       start never resumes one an operator paused;</li>
 *   <li>{@link #put}, {@link #remove}, {@link #pause}, {@link #resume}, {@link #list}: the client API behind
 *       {@code jobrunner schedule add|remove|pause|resume|list};</li>
 *   <li>{@link #fire} and {@link #skip}: the chron leader's handling of one tick, through {@code schedule-fire.lua},
 *       which marks the tick handled in the target queue's {@code fired} hash and stores the job in one atomic
 *       step: a tick pushes at most one job, whatever fails over; then the queue is registered when it became
 *       ready (as after a push; a lost registration is repaired by the chron).</li>
 * </ol>
 */
public final class Schedules {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    /** What handling one tick did. */
    public record Fired(boolean handled, boolean pushed, String jobId) {
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final QueueScripts scripts;
    private final QueueRegistry registry;
    private final KeyLayout keys;
    private final Clock clock;
    private final int maxPayloadBytes;

    Schedules(RedisClusterAsyncCommands<String, String> redis, QueueScripts scripts, QueueRegistry registry, KeyLayout keys, Clock clock,
              int maxPayloadBytes) {
        this.redis = redis;
        this.scripts = scripts;
        this.registry = registry;
        this.keys = keys;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Adds or replaces a schedule from the API or CLI; its ticks fire from now on. */
    public void add(Schedule schedule) {
        put(schedule, StoredSchedule.API);
    }

    /**
     * Writes the schedule unless the same definition from the same source is stored already (then it keeps its
     * {@code since}); true when written. The params are checked against {@code max-payload} first.
     */
    public boolean put(Schedule schedule, String source) {
        JobCodec.encodeStored(Job.of(schedule.type()).withParams(schedule.params()), maxPayloadBytes); // params within max-payload
        String current = Futures.join(redis.hget(keys.schedules(), schedule.name()).toCompletableFuture(), "read schedule");
        if (current != null) {
            try {
                StoredSchedule stored = StoredSchedule.decode(schedule.name(), current);
                if (stored.schedule().equals(schedule) && stored.source().equals(source)) {
                    return false;
                }
            } catch (InvalidScheduleException e) {
                log.warn("schedule {}: replacing an unreadable definition ({})", schedule.name(), e.getMessage());
            }
        }
        String json = new StoredSchedule(schedule, source, clock.millis()).encode();
        Futures.join(redis.hset(keys.schedules(), schedule.name(), json).toCompletableFuture(), "write schedule");
        return true;
    }

    /** The readable definitions by name (sorted); an unreadable entry is logged and left out. */
    public Map<String, StoredSchedule> definitions() {
        Map<String, String> raw = Futures.join(redis.hgetall(keys.schedules()).toCompletableFuture(), "read schedules");
        Map<String, StoredSchedule> out = new TreeMap<>();
        raw.forEach((name, json) -> {
            try {
                out.put(name, StoredSchedule.decode(name, json));
            } catch (IllegalArgumentException e) {
                log.warn("schedule {}: unreadable definition left out: {}", name, e.getMessage());
            }
        });
        return out;
    }

    /** Paused schedules: name to when (epoch ms). */
    public Map<String, Long> paused() {
        Map<String, String> raw = Futures.join(redis.hgetall(keys.pausedSchedules()).toCompletableFuture(), "read paused schedules");
        Map<String, Long> out = new LinkedHashMap<>();
        raw.forEach((name, at) -> out.put(name, parseLong(at)));
        return out;
    }

    /** The last handled tick of each schedule (epoch ms; absent before the first), read together. */
    public Map<String, Long> lastTicks(Collection<Schedule> schedules) {
        Map<String, CompletableFuture<String>> reads = new LinkedHashMap<>();
        for (Schedule s : schedules) {
            reads.put(s.name(), redis.hget(keys.scheduleFired(s.queue()), s.name()).toCompletableFuture());
        }
        Map<String, Long> out = new LinkedHashMap<>();
        reads.forEach((name, read) -> {
            String tick = Futures.join(read, "read last tick");
            if (tick != null) {
                out.put(name, parseLong(tick));
            }
        });
        return out;
    }

    /** Every readable schedule with its state and next tick after now, sorted by name. */
    public List<ScheduleInfo> list() {
        Map<String, StoredSchedule> defs = definitions();
        Map<String, Long> paused = paused();
        Map<String, Long> last = lastTicks(defs.values().stream().map(StoredSchedule::schedule).toList());
        Instant now = clock.instant();
        List<ScheduleInfo> out = new ArrayList<>(defs.size());
        for (StoredSchedule stored : defs.values()) {
            Schedule s = stored.schedule();
            Long pausedAt = paused.get(s.name());
            Long lastTick = last.get(s.name());
            Instant next = pausedAt != null ? null : s.cron().next(now, s.zone()).orElse(null);
            out.add(new ScheduleInfo(stored, pausedAt == null ? null : Instant.ofEpochMilli(pausedAt),
                    lastTick == null ? null : Instant.ofEpochMilli(lastTick), next));
        }
        return out;
    }

    public Optional<ScheduleInfo> get(String name) {
        return list().stream().filter(i -> i.schedule().name().equals(name)).findFirst();
    }

    /** Deletes the schedule, its pause and its last-tick mark; false when there was none. */
    public boolean remove(String name) {
        String current = Futures.join(redis.hget(keys.schedules(), name).toCompletableFuture(), "read schedule");
        if (current == null) {
            return false;
        }
        try {
            Schedule s = StoredSchedule.decode(name, current).schedule();
            Futures.join(redis.hdel(keys.scheduleFired(s.queue()), name).toCompletableFuture(), "remove schedule mark");
        } catch (InvalidScheduleException e) {
            log.warn("schedule {}: unreadable definition removed; its mark, if any, stays: {}", name, e.getMessage());
        }
        Futures.join(redis.hdel(keys.pausedSchedules(), name).toCompletableFuture(), "remove schedule pause");
        return Futures.join(redis.hdel(keys.schedules(), name).toCompletableFuture(), "remove schedule") == 1L;
    }

    /**
     * Pauses the schedule: its ticks are skipped (marked handled, no job) until {@link #resume}, so resuming
     * fires no backlog. False when there is no such schedule.
     */
    public boolean pause(String name) {
        if (!exists(name)) {
            return false;
        }
        Futures.join(redis.hsetnx(keys.pausedSchedules(), name, Long.toString(clock.millis())).toCompletableFuture(), "pause schedule");
        return true;
    }

    /** Resumes a paused schedule from its next tick; false when there is no such schedule. */
    public boolean resume(String name) {
        if (!exists(name)) {
            return false;
        }
        Futures.join(redis.hdel(keys.pausedSchedules(), name).toCompletableFuture(), "resume schedule");
        return true;
    }

    /**
     * Fires the schedule's job for {@code tick} (epoch ms) unless that tick (or a later one) was handled already;
     * for the chron leader.
     */
    public Fired fire(Schedule schedule, long tick) {
        Job job = Job.of(schedule.type()).inDomain(schedule.domain()).withParams(schedule.params())
                .withDedupKey(schedule.dedupKey(tick)).enqueuedAt(clock.millis());
        String stored = JobCodec.encodeStored(job, maxPayloadBytes);
        // known before the job is stored, like a push: pipelined ahead of the script (see PushCoalescer)
        CompletableFuture<Boolean> known = registry.registerKnown(schedule.queue()).handle((v, e) -> e == null);
        QueueScripts.FireReply reply = Futures.join(
                scripts.scheduleFire(schedule.queue(), schedule.name(), tick, job.id(), stored, job.dedupKey()), "fire schedule");
        if (reply.pushed() && !known.join()) {
            Futures.join(registry.registerKnown(schedule.queue()), "register fired queue");
        }
        if (reply.readyWasEmpty()) {
            Futures.join(registry.registerPushed(schedule.queue()), "register fired queue");
        }
        return new Fired(reply.handled(), reply.pushed(), reply.pushed() ? job.id() : null);
    }

    /** Marks {@code tick} handled without a job (a missed tick skipped, or a paused schedule); true when it moved the mark. */
    public boolean skip(Schedule schedule, long tick) {
        return Futures.join(scripts.scheduleFire(schedule.queue(), schedule.name(), tick, null, null, null), "skip schedule tick")
                .handled();
    }

    /** Removes the definitions written from config whose names are not in {@code keep}; returns their names. */
    public List<String> removeConfiguredExcept(Collection<String> keep) {
        List<String> removed = new ArrayList<>();
        definitions().forEach((name, stored) -> {
            if (stored.source().equals(StoredSchedule.CONFIG) && !keep.contains(name) && remove(name)) {
                removed.add(name);
            }
        });
        return removed;
    }

    private boolean exists(String name) {
        return Futures.join(redis.hexists(keys.schedules(), name).toCompletableFuture(), "read schedule");
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
