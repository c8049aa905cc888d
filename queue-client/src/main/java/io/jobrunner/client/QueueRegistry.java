package io.jobrunner.client;

import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The registries that let runners and the chron find work without visiting every queue
 * (DESIGN.md section 4). Valid on Redis Cluster, where these keys live in other slots than the queues:
 * <ol>
 *   <li><b>ready registry</b> ({@code jr:ready}, queue to version stamp): a per-queue script reports that a
 *       queue went from empty to ready; {@link #markReady} then writes a fresh stamp, adds the queue to
 *       {@code jr:queues} and publishes a wake-up (after a push, the script has published the wake-up itself
 *       and {@link #registerPushed} writes the stamp). A runner that finds a queue empty removes it with
 *       {@link #removeIfUnchanged}, only if the stamp is the one it read, so a concurrent push is never hidden.</li>
 *   <li><b>due index</b> ({@code jr:due}, queue to the earliest claim deadline or release time): whoever sets a
 *       deadline or a release time lowers it ({@code ZADD LT}); the chron takes a due queue out
 *       ({@link #clearDue}) <i>before</i> working it and puts back the next due time after, so a concurrent
 *       lower is never lost.</li>
 *   <li><b>known queues</b> ({@code jr:queues}): every queue with a job in any state, what the chron repairs from.</li>
 * </ol>
 * A lost update (a process died between a script and its follow-up) is repaired by the chron.
 */
public final class QueueRegistry {

    private static final Logger log = LoggerFactory.getLogger(QueueRegistry.class);

    private final RedisAsyncCommands<String, String> redis;
    private final QueueScripts scripts;
    private final KeyLayout keys;

    QueueRegistry(RedisAsyncCommands<String, String> redis, QueueScripts scripts, KeyLayout keys) {
        this.redis = redis;
        this.scripts = scripts;
        this.keys = keys;
    }

    /** The queue became ready: fresh stamp, known, wake-up published. Three pipelined commands. */
    public CompletableFuture<Void> markReady(QueueName queue) {
        String stamp = JobIds.next();
        return mapped(CompletableFuture.allOf(register(queue, stamp),
                redis.publish(keys.wakeChannel(), new WakeUp(queue, stamp).encode()).toCompletableFuture()), "mark ready", queue);
    }

    /**
     * After a push that took the queue from empty to ready: fresh stamp, known. Two pipelined commands; the push
     * script has already published the wake-up (a {@link WakeUp#hint}), one round trip before this lands.
     */
    public CompletableFuture<Void> registerPushed(QueueName queue) {
        return mapped(register(queue, JobIds.next()), "register pushed queue", queue);
    }

    /** HSET of the stamp into the ready registry and SADD to the known queues, pipelined. */
    private CompletableFuture<Void> register(QueueName queue, String stamp) {
        return CompletableFuture.allOf(
                redis.hset(keys.readyRegistry(), queue.toString(), stamp).toCompletableFuture(),
                redis.sadd(keys.queues(), queue.toString()).toCompletableFuture());
    }

    /** Removes the queue from the ready registry if its stamp is still {@code stamp}; true when removed. */
    public CompletableFuture<Boolean> removeIfUnchanged(QueueName queue, String stamp) {
        return scripts.registryRemove(queue, stamp);
    }

    /** The ready registry: queues with ready jobs and their stamps. Unreadable names are skipped and logged. */
    public CompletableFuture<Map<QueueName, String>> readyQueues() {
        return redis.hgetall(keys.readyRegistry()).toCompletableFuture().thenApply(raw -> {
            Map<QueueName, String> out = new LinkedHashMap<>();
            raw.forEach((name, stamp) -> {
                QueueName queue = parseOrNull(name);
                if (queue != null) {
                    out.put(queue, stamp);
                }
            });
            return out;
        }).exceptionally(e -> {
            throw ErrorCode.toException(e, "read ready registry", null);
        });
    }

    /** A delayed job or a claim deadline was set: the queue is known and due no later than {@code atMillis}. */
    public CompletableFuture<Void> lowerDue(QueueName queue, long atMillis) {
        return CompletableFuture.allOf(
                        redis.sadd(keys.queues(), queue.toString()).toCompletableFuture(),
                        redis.zadd(keys.due(), ZAddArgs.Builder.lt(), (double) atMillis, queue.toString()).toCompletableFuture())
                .exceptionally(e -> {
                    throw ErrorCode.toException(e, "lower due", queue);
                });
    }

    /** Takes the queue out of the due index (the chron does this before working it). */
    public CompletableFuture<Void> clearDue(QueueName queue) {
        return mapped(redis.zrem(keys.due(), queue.toString()).toCompletableFuture().thenApply(n -> (Void) null),
                "clear due", queue);
    }

    /** Queues with something due at or before {@code nowMillis}, at most {@code limit}, earliest first. */
    public CompletableFuture<List<QueueName>> dueQueues(long nowMillis, int limit) {
        return redis.zrangebyscore(keys.due(), Range.create(Double.NEGATIVE_INFINITY, (double) nowMillis),
                        io.lettuce.core.Limit.create(0, limit))
                .toCompletableFuture().thenApply(QueueRegistry::parseAll)
                .exceptionally(e -> {
                    throw ErrorCode.toException(e, "read due index", null);
                });
    }

    /** One page of the known queues (SSCAN), for the chron's repair and the operator's tools. */
    public CompletableFuture<KnownQueuesPage> knownQueues(String cursor, int count) {
        return mapped(redis.sscan(keys.queues(), io.lettuce.core.ScanCursor.of(cursor), ScanArgs.Builder.limit(count))
                .toCompletableFuture()
                .thenApply((ValueScanCursor<String> page) -> new KnownQueuesPage(parseAll(page.getValues()),
                        page.isFinished() ? null : page.getCursor())), "list known queues", null);
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

    private static List<QueueName> parseAll(List<String> names) {
        List<QueueName> out = new ArrayList<>(names.size());
        for (String name : names) {
            QueueName queue = parseOrNull(name);
            if (queue != null) {
                out.add(queue);
            }
        }
        return out;
    }

    private static QueueName parseOrNull(String name) {
        try {
            return QueueName.parse(name);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring registry entry '{}': {}", name, e.getMessage());
            return null;
        }
    }
}
