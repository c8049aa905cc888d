package io.jobrunner.chron;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.KeyLayout;
import io.jobrunner.client.QueueKeys;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueRegistry;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The RegistryRepair duty, every {@code repair-interval}: makes {@code jr:queues}, {@code jr:ready} and
 * {@code jr:due} agree with what the queues really hold. Drift comes from a process that died between a
 * queue script and its registry follow-up; the bound is that a lost update delays pickup by at most the
 * repair interval.
 * <ol>
 *   <li>walks {@code jr:queues} with SSCAN, {@code page-size} queues a page, one pipelined round trip per page
 *       reading each queue's ready stamp, due score, ready length, earliest claim deadline, earliest release
 *       time and whether it keeps abandoned jobs or root entries; then per queue:
 *     <ul>
 *       <li>ready jobs but not in {@code jr:ready}: {@code markReady} (runners are woken);</li>
 *       <li>in {@code jr:ready} with no ready job: removed with the compare-and-delete on the stamp read, so a
 *           push that made it ready again (and wrote a fresh stamp) is never hidden;</li>
 *       <li>claimed or delayed jobs but no due entry, or a later one: {@code lowerDue} to its earliest
 *           deadline or release time;</li>
 *       <li>no job in any state and no root entry: out of {@code jr:queues}, with the other such queues of the
 *           page in three round trips (see {@link #forgetIfEmpty}).</li>
 *     </ul></li>
 *   <li>walks {@code jr:ready} with HSCAN for queues missing from {@code jr:queues}: added back if they have
 *       ready jobs, else removed from {@code jr:ready} (compare-and-delete);</li>
 *   <li>sweeps the keyspace, a few SCAN steps a run ({@value #SWEEP_STEPS} of {@value #SWEEP_COUNT} keys), going on
 *       where the last run stopped: a queue holding jobs (its data hash) but missing from {@code jr:queues} is added,
 *       and the next walk repairs the rest.</li>
 * </ol>
 * Every step is idempotent and re-checks Redis, never a copy in memory. A follow-up still in flight when a page
 * is read (a push whose {@code markReady} has not landed yet) looks like drift and is "repaired" early; that
 * is harmless (one extra stamp or due entry) and shows as an occasional count under load.
 * <p>
 * A queue is in {@code jr:queues} before any of its jobs is stored: producers add it pipelined ahead of every
 * push call, so no lost follow-up can hide a queue from this walk, and a queue whose follow-up was lost is ready
 * and due again within one repair interval. The sweep is the backstop for the rest (a failover that kept a push
 * but lost the SADD before it, a key restored by hand).
 */
final class RegistryRepair implements Duty {

    static final String NAME = "repair";
    static final String READY_ADDED = "ready-added";
    static final String READY_REMOVED = "ready-removed";
    static final String DUE_ADDED = "due-added";
    static final String KNOWN_REMOVED = "known-removed";
    static final String KNOWN_ADDED = "known-added";
    static final String SWEPT_ADDED = "swept-added";
    static final int SWEEP_STEPS = 10;
    static final int SWEEP_COUNT = 1000;

    private static final Logger log = LoggerFactory.getLogger(RegistryRepair.class);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyLayout keys;
    private final QueueRegistry registry;
    private final ChronSettings settings;
    private final ChronMetrics metrics;
    /** Where the keyspace sweep goes on next run ("0": from the start). */
    private String sweepCursor = "0";

    RegistryRepair(JobRunnerClient client, ChronSettings settings, ChronMetrics metrics) {
        this.redis = client.redisAsync();
        this.keys = client.keys();
        this.registry = client.registry();
        this.settings = settings;
        this.metrics = metrics;
    }

    /** What one pipelined read saw of a queue. Times are epoch ms, null when there is none. */
    private record Seen(QueueName queue, String stamp, Double due, long ready, Long earliestClaim, Long earliestRelease,
                        boolean keepsHistory) {

        Long earliestDue() {
            if (earliestClaim == null) {
                return earliestRelease;
            }
            return earliestRelease == null ? earliestClaim : Math.min(earliestClaim, earliestRelease);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Long> run(BooleanSupplier stillLeader) {
        Tally tally = new Tally(metrics);
        String cursor = "0";
        long visited = 0;
        do {
            if (!stillLeader.getAsBoolean()) {
                return tally.counts();
            }
            QueueRegistry.KnownQueuesPage page = Await.get(registry.knownQueues(cursor, settings.pageSize()), "scan known queues");
            List<QueueName> empty = new ArrayList<>();
            for (Seen seen : read(page.queues())) {
                if (repair(seen, tally)) {
                    empty.add(seen.queue());
                }
            }
            forgetIfEmpty(empty, tally);
            visited += page.queues().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        tally.note("queues", visited);
        repairReadyRegistry(stillLeader, tally);
        sweep(stillLeader, tally);
        return tally.counts();
    }

    /** A few steps of the keyspace sweep, from where the last run stopped. */
    private void sweep(BooleanSupplier stillLeader, Tally tally) {
        for (int step = 0; step < SWEEP_STEPS && stillLeader.getAsBoolean(); step++) {
            QueueRegistry.SweepPage page = Await.get(registry.sweepStored(sweepCursor, SWEEP_COUNT), "sweep stored queues");
            for (QueueName queue : page.added()) {
                tally.repaired(SWEPT_ADDED, queue.type());
                log.warn("queue {}: holds jobs but was missing from the known queues; added", queue);
            }
            sweepCursor = page.nextCursor() == null ? "0" : page.nextCursor();
            if (page.nextCursor() == null) {
                return;
            }
        }
    }

    /**
     * One pipelined round trip for a page. The stamps are read before the ready lengths (a pipeline runs in
     * order): a push that makes the queue ready after the stamp was read writes a fresh stamp, so the
     * compare-and-delete of a stale entry can never remove the entry of a queue that has ready jobs.
     */
    private List<Seen> read(List<QueueName> queues) {
        if (queues.isEmpty()) {
            return List.of();
        }
        String[] names = queues.stream().map(QueueName::toString).toArray(String[]::new);
        RedisFuture<List<KeyValue<String, String>>> stamps = redis.hmget(keys.readyRegistry(), names);
        RedisFuture<List<Double>> dueScores = redis.zmscore(keys.due(), names);
        List<List<RedisFuture<?>>> perQueue = new ArrayList<>(queues.size());
        for (QueueName queue : queues) {
            QueueKeys k = keys.queue(queue);
            perQueue.add(List.of(redis.llen(k.ready()), redis.zrangeWithScores(k.claimed(), 0, 0),
                    redis.zrangeWithScores(k.delayed(), 0, 0), redis.exists(k.abandoned(), k.roots()), redis.zcard(k.prioritized())));
        }
        List<KeyValue<String, String>> stampValues = Await.get(stamps, "read ready registry");
        List<Double> dueValues = Await.get(dueScores, "read due index");
        List<Seen> out = new ArrayList<>(queues.size());
        for (int i = 0; i < queues.size(); i++) {
            List<RedisFuture<?>> f = perQueue.get(i);
            out.add(new Seen(queues.get(i), stampValues.get(i).getValueOrElse(null), dueValues.get(i),
                    (Long) Await.get(f.get(0), "read ready length") + (Long) Await.get(f.get(4), "read prioritized"), firstScore(Await.get(f.get(1), "read claims")),
                    firstScore(Await.get(f.get(2), "read delayed")), (Long) Await.get(f.get(3), "read abandoned") > 0));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Long firstScore(Object zrange) {
        List<ScoredValue<String>> first = (List<ScoredValue<String>>) zrange;
        return first.isEmpty() ? null : (long) first.get(0).getScore();
    }

    /** Repairs one queue's registry entries; true when the read saw nothing in it, so it should be forgotten. */
    private boolean repair(Seen seen, Tally tally) {
        QueueName queue = seen.queue();
        try {
            if (seen.ready() > 0 && seen.stamp() == null) {
                Await.get(registry.markReady(queue), "mark ready");
                tally.repaired(READY_ADDED, queue.type());
                log.info("queue {}: has {} ready job(s) but was missing from the ready registry; added", queue, seen.ready());
            } else if (seen.ready() == 0 && seen.stamp() != null
                    && Await.get(registry.removeIfUnchanged(queue, seen.stamp()), "remove from ready registry")) {
                tally.repaired(READY_REMOVED, queue.type());
                log.debug("queue {}: had no ready job but was in the ready registry; removed", queue);
            }
            Long earliest = seen.earliestDue();
            if (earliest != null && (seen.due() == null || seen.due() > earliest)) {
                Await.get(registry.lowerDue(queue, earliest), "lower due");
                tally.repaired(DUE_ADDED, queue.type());
                log.info("queue {}: claimed or delayed jobs due at {} were missing from the due index; added", queue, earliest);
            }
            return seen.ready() == 0 && earliest == null && !seen.keepsHistory();
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.dutyErrors(NAME).mark();
            log.warn("queue {}: registry repair failed, trying again next run: {}", queue, e.toString());
            return false;
        }
    }

    /**
     * Takes the queues a page read saw empty out of {@code jr:queues}: remove, then look again and add back
     * those with anything in them now. Why: producers add a queue to {@code jr:queues} just before their push
     * script (the set and the queue live in different Cluster slots, so no one script can do both). If a push
     * landed between our read and our SREM, its SADD already ran (a no-op, the queue was still known) and our
     * SREM would hide a queue holding a job from repair and pruning until the keyspace sweep came by. A push
     * after the re-check adds the queue itself through its own SADD.
     * <p>
     * A page at a time, three round trips whatever its size: one SREM of all its empty queues, awaited before
     * any re-check is sent (so each queue's re-check runs after its removal, on Cluster too, where the set
     * and the queue are on different nodes); then every queue's EXISTS, pipelined; then one SADD of those to
     * keep. A re-check that fails keeps its queue: an empty queue left known is forgotten next pass, a
     * non-empty one left out could be hidden.
     */
    private void forgetIfEmpty(List<QueueName> queues, Tally tally) {
        if (queues.isEmpty()) {
            return;
        }
        try {
            Await.get(registry.removeKnown(queues), "remove known queues");
            List<RedisFuture<Long>> left = new ArrayList<>(queues.size());
            for (QueueName queue : queues) {
                QueueKeys k = keys.queue(queue);
                left.add(redis.exists(k.ready(), k.delayed(), k.claimed(), k.abandoned(), k.roots(), k.expired(), k.prioritized(), k.unique()));
            }
            List<QueueName> keep = new ArrayList<>();
            for (int i = 0; i < queues.size(); i++) {
                QueueName queue = queues.get(i);
                if (stillHoldsJobs(queue, left.get(i))) {
                    keep.add(queue);
                } else {
                    tally.repaired(KNOWN_REMOVED, queue.type());
                }
            }
            Await.get(registry.addKnown(keep), "add known queues");
            if (!keep.isEmpty()) {
                log.debug("{} queue(s) added back to the known queues: a push raced their removal, or the re-check failed: {}",
                        keep.size(), keep);
            }
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.dutyErrors(NAME).mark();
            log.warn("{} empty queue(s): taking them out of the known queues failed, trying again next run: {}", queues.size(), e.toString());
        }
    }

    /** The re-check of one queue after its removal; true (keep it) when it failed. */
    private boolean stillHoldsJobs(QueueName queue, RedisFuture<Long> exists) {
        try {
            return Await.get(exists, "re-check queue") > 0;
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.dutyErrors(NAME).mark();
            log.warn("queue {}: re-check after removal from the known queues failed; kept known: {}", queue, e.toString());
            return true;
        }
    }

    /** Entries of {@code jr:ready} whose queue is missing from {@code jr:queues}. */
    private void repairReadyRegistry(BooleanSupplier stillLeader, Tally tally) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            if (!stillLeader.getAsBoolean()) {
                return;
            }
            MapScanCursor<String, String> page = Await.get(redis.hscan(keys.readyRegistry(), cursor, ScanArgs.Builder.limit(settings.pageSize())),
                    "scan ready registry");
            List<QueueName> queues = new ArrayList<>();
            List<String> stamps = new ArrayList<>();
            page.getMap().forEach((name, stamp) -> {
                try {
                    queues.add(QueueName.parse(name));
                    stamps.add(stamp);
                } catch (IllegalArgumentException e) {
                    log.warn("ready registry entry '{}' is not a queue name; left alone", name);
                }
            });
            if (!queues.isEmpty()) {
                List<Boolean> known = Await.get(redis.smismember(keys.queues(), queues.stream().map(QueueName::toString).toArray(String[]::new)),
                        "check known queues");
                List<Integer> unknown = new ArrayList<>();
                List<RedisFuture<Long>> lengths = new ArrayList<>();
                for (int i = 0; i < queues.size(); i++) {
                    if (!known.get(i)) {
                        unknown.add(i);
                        lengths.add(redis.llen(keys.queue(queues.get(i)).ready()));
                        lengths.add(redis.zcard(keys.queue(queues.get(i)).prioritized()));
                    }
                }
                for (int j = 0; j < unknown.size(); j++) {
                    QueueName queue = queues.get(unknown.get(j));
                    if (Await.get(lengths.get(2 * j), "read ready length") + Await.get(lengths.get(2 * j + 1), "read prioritized") > 0) {
                        Await.get(registry.addKnown(queue), "add known queue");
                        tally.repaired(KNOWN_ADDED, queue.type());
                        log.info("queue {}: has ready jobs but was missing from the known queues; added", queue);
                    } else if (Await.get(registry.removeIfUnchanged(queue, stamps.get(unknown.get(j))), "remove from ready registry")) {
                        tally.repaired(READY_REMOVED, queue.type());
                    }
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    @Override
    public Duration nextDelay() {
        return Jitter.shorten(settings.repairInterval());
    }
}
