package io.jobrunner.client;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Read-only views for operators (the {@code showJobs.php} views): per-queue counts and job listings.
 * Reads are pipelined but not atomic: a job moving between states while it is read may show twice or
 * not at all, which is fine for inspection and never changes anything.
 */
public final class QueueInspector {

    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyLayout keys;
    private final QueueRegistry registry;

    QueueInspector(RedisClusterAsyncCommands<String, String> redis, KeyLayout keys, QueueRegistry registry) {
        this.redis = redis;
        this.keys = keys;
        this.registry = registry;
    }

    /** Every queue the registry knows (any job in any state). */
    public List<QueueName> queues() {
        return registry.allKnownQueues();
    }

    /**
     * The partitions of {@code queue}'s logical queue that the registry knows, in partition order; the logical queue
     * alone when it knows none (an empty queue, or one whose jobs are all gone).
     */
    public List<QueueName> partitions(QueueName queue) {
        QueueName logical = queue.logical();
        List<QueueName> out = new ArrayList<>();
        for (QueueName q : queues()) {
            if (q.logical().equals(logical)) {
                out.add(q);
            }
        }
        if (out.isEmpty()) {
            return List.of(logical);
        }
        out.sort(Comparator.comparingInt(QueueName::partition));
        return out;
    }

    public QueueCounts counts(QueueName queue) {
        return counts(List.of(queue)).get(0);
    }

    /** Counts for many queues, five pipelined commands each (ready counts the plain and the prioritized jobs). */
    public List<QueueCounts> counts(Collection<QueueName> queues) {
        List<List<RedisFuture<Long>>> pending = new ArrayList<>(queues.size());
        for (QueueName q : queues) {
            QueueKeys k = keys.queue(q);
            pending.add(List.of(redis.llen(k.ready()), redis.zcard(k.delayed()), redis.zcard(k.claimed()), redis.zcard(k.abandoned()),
                    redis.zcard(k.prioritized())));
        }
        List<QueueCounts> out = new ArrayList<>(queues.size());
        int i = 0;
        for (QueueName q : queues) {
            List<RedisFuture<Long>> f = pending.get(i++);
            out.add(new QueueCounts(q, get(f.get(0)) + get(f.get(4)), get(f.get(1)), get(f.get(2)), get(f.get(3))));
        }
        return out;
    }

    /** Expired jobs kept for the operator in each queue (at most {@link JobConsumer#EXPIRED_KEPT} per queue), pipelined. */
    public List<Long> expiredCounts(List<QueueName> queues) {
        List<RedisFuture<Long>> pending = new ArrayList<>(queues.size());
        for (QueueName q : queues) {
            pending.add(redis.zcard(keys.queue(q).expired()));
        }
        List<Long> out = new ArrayList<>(queues.size());
        for (RedisFuture<Long> f : pending) {
            out.add(get(f));
        }
        return out;
    }

    /** Up to {@code limit} jobs of the queue in this state: ready ones in claim order, the others oldest first. */
    public List<JobInfo> list(QueueName queue, JobState state, int limit) {
        return list(queue, state, 0, limit);
    }

    /** As {@link #list(QueueName, JobState, int)}, skipping the first {@code offset} jobs of that order. */
    public List<JobInfo> list(QueueName queue, JobState state, int offset, int limit) {
        if (limit < 1) { // LRANGE/ZRANGE with -0 or -1 as the end would return everything
            throw new IllegalArgumentException("list limit must be at least 1, was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("list offset must be at least 0, was " + offset);
        }
        QueueKeys k = keys.queue(queue);
        List<String> ids = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        if (state == JobState.READY) {
            // Claim order: the prioritized jobs (highest first), then the list from its claim end (the right one).
            long prioritized = get(redis.zcard(k.prioritized()));
            if (offset < prioritized) {
                ids.addAll(get(redis.zrange(k.prioritized(), offset, (long) offset + limit - 1)));
            }
            int listOffset = (int) Math.max(0, offset - prioritized);
            int listLimit = limit - ids.size();
            if (listLimit > 0) {
                List<String> tail = get(redis.lrange(k.ready(), -(long) listOffset - listLimit, -(long) listOffset - 1));
                for (int i = tail.size() - 1; i >= 0; i--) {
                    ids.add(tail.get(i));
                }
            }
            ids.forEach(id -> times.add(null));
        } else {
            String key = switch (state) {
                case DELAYED -> k.delayed();
                case CLAIMED -> k.claimed();
                case EXPIRED -> k.expired();
                default -> k.abandoned();
            };
            for (ScoredValue<String> sv : get(redis.zrangeWithScores(key, offset, (long) offset + limit - 1))) {
                ids.add(sv.getValue());
                times.add((long) sv.getScore());
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> metaFields = new ArrayList<>(ids.size() * 2);
        for (String id : ids) {
            metaFields.add(id + ":a");
            metaFields.add(id + ":e");
        }
        RedisFuture<List<KeyValue<String, String>>> data = redis.hmget(k.data(), ids.toArray(String[]::new));
        RedisFuture<List<KeyValue<String, String>>> meta = redis.hmget(k.meta(), metaFields.toArray(String[]::new));
        List<KeyValue<String, String>> dataValues = get(data);
        List<KeyValue<String, String>> metaValues = get(meta);
        List<JobInfo> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String raw = dataValues.get(i).getValueOrElse(null);
            int attempts = Integer.parseInt(metaValues.get(2 * i).getValueOrElse("0"));
            String lastError = metaValues.get(2 * i + 1).getValueOrElse(null);
            Job job = null;
            String malformed = null;
            if (raw == null) {
                malformed = "job data is missing";
            } else {
                try {
                    job = JobCodec.decodeStored(queue, id, raw);
                } catch (MalformedJobException e) {
                    malformed = e.getMessage();
                }
            }
            out.add(new JobInfo(queue, id, state, attempts, lastError, times.get(i), job, raw, malformed));
        }
        return out;
    }

    private static <T> T get(RedisFuture<T> future) {
        return Futures.join(future.toCompletableFuture(), "inspect");
    }
}
