package io.jobrunner.client;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The registries that let runners and the chron find work without visiting every queue. Valid on Redis Cluster,
 * where these keys live in other slots than the queues:
 * <ol>
 *   <li><b>known queues</b> ({@code jr:queues}): every queue with a job in any state, what the chron repairs from.
 *       A producer adds the queue ({@link #registerKnown}) pipelined <i>before</i> every push-script call, so a
 *       queue is known from the moment a job is stored in it, whatever is lost after; the chron's slow keyspace
 *       sweep ({@link #sweepStored}) finds a queue whose registration was lost anyway (a failover that kept
 *       the push but not the SADD).</li>
 *   <li><b>ready registry</b> ({@code jr:ready}, queue to version stamp): a per-queue script reports that a
 *       queue went from empty to ready; {@link #markReady} then writes a fresh stamp and publishes a wake-up
 *       (after a push, the script has published the wake-up itself and {@link #registerPushed} writes the stamp).
 *       A runner that finds a queue empty removes it with {@link #removeIfUnchanged}, only if the stamp is the one
 *       it read, so a concurrent push is never hidden.</li>
 *   <li><b>due index</b> ({@code jr:due}, queue to the earliest claim deadline or release time, server clock):
 *       whoever sets a deadline or a release time lowers it ({@link #lowerDue}); the chron takes a due queue out
 *       ({@link #clearDue}) <i>before</i> working it and puts back the next due time after, so a concurrent
 *       lower is never lost.</li>
 * </ol>
 * A lost follow-up (a process died between a script and its follow-up) is repaired by the chron within its
 * repair interval. The writes recycling and promotion need (stamp, due entry) are scripts that keep working
 * while Redis refuses writes for memory. Registry members that are not queue names are removed, one log line each.
 */
public final class QueueRegistry {

    private static final Logger log = LoggerFactory.getLogger(QueueRegistry.class);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final QueueScripts scripts;
    private final KeyLayout keys;
    private final KeyspaceScan scan;

    QueueRegistry(RedisClusterAsyncCommands<String, String> redis, QueueScripts scripts, KeyLayout keys, KeyspaceScan scan) {
        this.scan = scan;
        this.redis = redis;
        this.scripts = scripts;
        this.keys = keys;
    }

    /** A job is about to be stored in the queue: it is known (SADD), before the push script runs. */
    public CompletableFuture<Void> registerKnown(QueueName queue) {
        return mapped(redis.sadd(keys.queues(), queue.toString()).toCompletableFuture().thenApply(n -> (Void) null),
                "register queue", queue);
    }

    /** The queue became ready: fresh stamp, wake-up published. Two pipelined commands. */
    public CompletableFuture<Void> markReady(QueueName queue) {
        String stamp = JobIds.next();
        return mapped(CompletableFuture.allOf(scripts.readyMark(queue, stamp),
                redis.publish(keys.wakeChannel(), new WakeUp(queue, stamp).encode()).toCompletableFuture()), "mark ready", queue);
    }

    /**
     * After a push that took the queue from empty to ready: a fresh stamp. The push script has already published
     * the wake-up (a {@link WakeUp#hint}), one round trip before this lands.
     */
    public CompletableFuture<Void> registerPushed(QueueName queue) {
        return mapped(scripts.readyMark(queue, JobIds.next()), "register pushed queue", queue);
    }

    /** Removes the queue from the ready registry if its stamp is still {@code stamp}; true when removed. */
    public CompletableFuture<Boolean> removeIfUnchanged(QueueName queue, String stamp) {
        return scripts.registryRemove(queue, stamp);
    }

    /** The ready registry: queues with ready jobs and their stamps. Names that are not queues are removed. */
    public CompletableFuture<Map<QueueName, String>> readyQueues() {
        return redis.hgetall(keys.readyRegistry()).toCompletableFuture().thenApply(raw -> {
            Map<QueueName, String> out = new LinkedHashMap<>();
            raw.forEach((name, stamp) -> {
                QueueName queue = parseOrRemove(name, keys.readyRegistry(), n -> redis.hdel(keys.readyRegistry(), n));
                if (queue != null) {
                    out.put(queue, stamp);
                }
            });
            return out;
        }).exceptionally(e -> {
            throw ErrorCode.toException(e, "read ready registry", null);
        });
    }

    /**
     * A delayed job or a claim deadline was set: the queue is due no later than {@code atMillis} (epoch ms, server
     * clock, as a queue script returned it). Works while Redis refuses writes for memory.
     */
    public CompletableFuture<Void> lowerDue(QueueName queue, long atMillis) {
        return mapped(scripts.dueLower(queue, atMillis).thenApply(lowered -> (Void) null), "lower due", queue);
    }

    /** Takes the queue out of the due index (the chron does this before working it). */
    public CompletableFuture<Void> clearDue(QueueName queue) {
        return mapped(redis.zrem(keys.due(), queue.toString()).toCompletableFuture().thenApply(n -> (Void) null),
                "clear due", queue);
    }

    /**
     * Queues with something due by the server's time, at most {@code limit}, earliest first, and that time.
     * Members that are not queue names are removed from the index (one log line each).
     */
    public CompletableFuture<DueQueues> dueQueues(int limit) {
        return mapped(scripts.dueRead(limit).thenApply(reply -> new DueQueues(reply.now(),
                parseAll(reply.names(), keys.due(), n -> redis.zrem(keys.due(), n)))), "read due index", null);
    }

    /** What {@link #dueQueues} read: the server's time (epoch ms) and the queues due by it. */
    public record DueQueues(long now, List<QueueName> queues) {
    }

    /** Redis's clock (TIME), epoch ms: what stored times are compared with, for callers that plan around them. */
    public CompletableFuture<Long> serverTime() {
        return mapped(redis.time().toCompletableFuture().thenApply(QueueRegistry::millis), "read server time", null);
    }

    static long millis(List<String> time) {
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    /** One page of the known queues (SSCAN), for the chron's repair and the operator's tools. */
    public CompletableFuture<KnownQueuesPage> knownQueues(String cursor, int count) {
        return mapped(redis.sscan(keys.queues(), io.lettuce.core.ScanCursor.of(cursor), ScanArgs.Builder.limit(count))
                .toCompletableFuture()
                .thenApply((ValueScanCursor<String> page) -> new KnownQueuesPage(
                        parseAll(page.getValues(), keys.queues(), n -> redis.srem(keys.queues(), n)),
                        page.isFinished() ? null : page.getCursor())), "list known queues", null);
    }

    /**
     * One step of the keyspace sweep (the backstop for a registration lost after all): SCAN for the data hashes of
     * queues, {@code count} keys a step, and adds those missing from {@code jr:queues}. Returns the queues it added
     * and the cursor of the next step (null after the last). On Redis Cluster each master holds its own keyspace:
     * the steps walk every master in turn ({@link KeyspaceScan}).
     */
    public CompletableFuture<SweepPage> sweepStored(String cursor, int count) {
        String pattern = keys.prefix() + ":{*}:data";
        return mapped(scan.step(cursor, pattern, count)
                .thenCompose(page -> {
                    String next = page.nextCursor();
                    List<QueueName> found = new ArrayList<>();
                    for (String key : page.keys()) {
                        QueueName queue = keys.queueOfDataKey(key);
                        if (queue != null) {
                            found.add(queue);
                        }
                    }
                    if (found.isEmpty()) {
                        return CompletableFuture.completedFuture(new SweepPage(List.of(), next));
                    }
                    return redis.smismember(keys.queues(), names(found)).toCompletableFuture().thenCompose(known -> {
                        List<QueueName> missing = new ArrayList<>();
                        for (int i = 0; i < found.size(); i++) {
                            if (!known.get(i)) {
                                missing.add(found.get(i));
                            }
                        }
                        return addKnown(missing).thenApply(v -> new SweepPage(missing, next));
                    });
                }), "sweep stored queues", null);
    }

    /** One step of {@link #sweepStored}: the queues added to {@code jr:queues}; {@code nextCursor} null after the last. */
    public record SweepPage(List<QueueName> added, String nextCursor) {
    }

    /** Every known queue (walks SSCAN to the end). */
    public List<QueueName> allKnownQueues() {
        List<QueueName> all = new ArrayList<>();
        String cursor = "0";
        do {
            KnownQueuesPage page = Futures.join(knownQueues(cursor, 1000), "list known queues");
            all.addAll(page.queues());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    /** Adds a queue to the known set (repair). */
    public CompletableFuture<Void> addKnown(QueueName queue) {
        return mapped(redis.sadd(keys.queues(), queue.toString()).toCompletableFuture().thenApply(n -> (Void) null),
                "add known queue", queue);
    }

    /** Adds queues to the known set in one SADD (repair); an empty list is answered without Redis. */
    public CompletableFuture<Void> addKnown(List<QueueName> queues) {
        if (queues.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return mapped(redis.sadd(keys.queues(), names(queues)).toCompletableFuture().thenApply(n -> (Void) null),
                "add known queues", null);
    }

    /** Removes a queue from the known set (repair; the caller re-checks that it is still empty after). */
    public CompletableFuture<Void> removeKnown(QueueName queue) {
        return mapped(redis.srem(keys.queues(), queue.toString()).toCompletableFuture().thenApply(n -> (Void) null),
                "remove known queue", queue);
    }

    /**
     * Removes queues from the known set in one SREM (repair, a page at a time; the caller re-checks each after
     * this completed, see {@link #removeKnown(QueueName)}); an empty list is answered without Redis.
     */
    public CompletableFuture<Void> removeKnown(List<QueueName> queues) {
        if (queues.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return mapped(redis.srem(keys.queues(), names(queues)).toCompletableFuture().thenApply(n -> (Void) null),
                "remove known queues", null);
    }

    /** One page of {@code jr:queues}; {@code nextCursor} is null after the last page. */
    public record KnownQueuesPage(List<QueueName> queues, String nextCursor) {
    }

    /** Failures of Redis commands reach callers as {@link JobQueueException}, like script failures. */
    private static <T> CompletableFuture<T> mapped(CompletableFuture<T> future, String operation, QueueName queue) {
        return future.exceptionally(e -> {
            throw ErrorCode.toException(e, operation, queue);
        });
    }

    private static String[] names(List<QueueName> queues) {
        return queues.stream().map(QueueName::toString).toArray(String[]::new);
    }

    private static List<QueueName> parseAll(List<String> names, String key, Function<String, RedisFuture<Long>> remove) {
        List<QueueName> out = new ArrayList<>(names.size());
        for (String name : names) {
            QueueName queue = parseOrRemove(name, key, remove);
            if (queue != null) {
                out.add(queue);
            }
        }
        return out;
    }

    /**
     * The queue a registry member names, or null when it names none: then the member is removed (not awaited; a
     * failed removal is tried again at the next read), so it is logged once and never read again.
     */
    private static QueueName parseOrRemove(String name, String key, Function<String, RedisFuture<Long>> remove) {
        try {
            return QueueName.parse(name);
        } catch (IllegalArgumentException e) {
            log.warn("registry {}: removed member '{}', which is not a queue name: {}", key, name, e.getMessage());
            remove.apply(name);
            return null;
        }
    }
}
