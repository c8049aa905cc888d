package io.jobrunner.client;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Every queue's counts, latency and paused flag, for {@code stats}, the chron's gauges and the dashboard:
 * <ol>
 *   <li>counts: four pipelined reads per queue ({@link QueueInspector#counts});</li>
 *   <li>latency: the job at the claim end of each non-empty ready list, its {@code enqueuedAt} (or
 *       {@code releaseAt} when later), against the Redis server's time: two more pipelined round trips;</li>
 *   <li>paused: one read of the paused set.</li>
 * </ol>
 * Reads are not atomic across queues; fine for a view.
 */
public final class QueueOverview {

    private final QueueInspector inspector;
    private final JobOperations operations;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyLayout keys;

    QueueOverview(QueueInspector inspector, JobOperations operations, RedisClusterAsyncCommands<String, String> redis, KeyLayout keys) {
        this.inspector = inspector;
        this.operations = operations;
        this.redis = redis;
        this.keys = keys;
    }

    /** Every known queue, sorted by name. */
    public List<QueueSummary> all() {
        List<QueueName> queues = new ArrayList<>(inspector.queues());
        queues.sort(Comparator.comparing(QueueName::toString));
        return of(queues);
    }

    /** The given queues, in their order. */
    public List<QueueSummary> of(Collection<QueueName> queues) {
        List<QueueCounts> counts = inspector.counts(queues);
        Set<String> paused = operations.paused().keySet();
        long now = operations.serverTime();
        List<RedisFuture<String>> heads = new ArrayList<>(counts.size());
        for (QueueCounts c : counts) {
            heads.add(c.ready() > 0 ? redis.lindex(keys.queue(c.queue()).ready(), -1) : null);
        }
        List<RedisFuture<String>> data = new ArrayList<>(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            String id = heads.get(i) == null ? null : Futures.join(heads.get(i).toCompletableFuture(), "queue latency");
            if (id == null && heads.get(i) != null) { // only prioritized jobs wait: the next of those
                List<String> next = Futures.join(redis.zrange(keys.queue(counts.get(i).queue()).prioritized(), 0, 0)
                        .toCompletableFuture(), "queue latency");
                id = next.isEmpty() ? null : next.get(0);
            }
            data.add(id == null ? null : redis.hget(keys.queue(counts.get(i).queue()).data(), id));
        }
        List<QueueSummary> out = new ArrayList<>(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            QueueCounts c = counts.get(i);
            String json = data.get(i) == null ? null : Futures.join(data.get(i).toCompletableFuture(), "queue latency");
            out.add(new QueueSummary(c.queue(), c.ready(), c.delayed(), c.claimed(), c.abandoned(), latency(c.queue(), json, now),
                    PausedSet.isPaused(paused, c.queue())));
        }
        return out;
    }

    private static long latency(QueueName queue, String json, long now) {
        if (json == null) {
            return -1;
        }
        try {
            Job job = JobCodec.decodeStored(queue, "latency", json);
            long due = Math.max(job.enqueuedAt(), job.releaseAt() == null ? 0 : job.releaseAt());
            return Math.max(0, now - due);
        } catch (MalformedJobException e) {
            return -1;
        }
    }
}
