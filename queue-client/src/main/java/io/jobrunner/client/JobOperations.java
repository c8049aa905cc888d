package io.jobrunner.client;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;


/**
 * What an operator does to single jobs and queues; every state change is one script on the queue's keys
 * (valid on Redis Cluster), followed, like a push, by the registry follow-up when the queue became ready.
 * <ol>
 *   <li>{@link #find}: a job by id, in one queue or across every known queue ({@link #findInPartitions}: across the
 *       partitions of one logical queue);</li>
 *   <li>{@link #page}: a queue's jobs in one state, paged ({@link #pageOfPartitions}: over every partition of a
 *       logical queue as one list);</li>
 *   <li>{@link #delete}: waiting (ready, delayed) or abandoned jobs deleted from every index; claimed ones refused;</li>
 *   <li>{@link #runNow}: a delayed or backing-off job to the claim end of ready;</li>
 *   <li>{@link #retry}: an abandoned job back to ready with attempts reset;</li>
 *   <li>{@link #cancel}: the runner holding a claimed job is told to cancel it (it abandons the job,
 *       "cancelled by operator");</li>
 *   <li>{@link #pause}/{@link #resume}: runners stop (start again) claiming from a queue, or a type in every
 *       domain ({@code *}{@code /type}); pushes, promotions and recycling go on, so a paused queue loses nothing.</li>
 * </ol>
 */
public final class JobOperations {

    /** Cancel requests older than this are dropped when a new one is made (their runs ended long ago). */
    private static final long CANCEL_REQUEST_KEPT_MILLIS = 3_600_000;

    private final OperatorScripts scripts;
    private final QueueMaintenance maintenance;
    private final QueueRegistry registry;
    private final QueueInspector inspector;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyLayout keys;

    JobOperations(OperatorScripts scripts, QueueMaintenance maintenance, QueueRegistry registry, QueueInspector inspector,
                  RedisClusterAsyncCommands<String, String> redis, KeyLayout keys) {
        this.scripts = scripts;
        this.maintenance = maintenance;
        this.registry = registry;
        this.inspector = inspector;
        this.redis = redis;
        this.keys = keys;
    }

    /** The job {@code id} of {@code queue}, or empty when nothing is stored under it. */
    public Optional<JobInfo> find(QueueName queue, String id) {
        OperatorScripts.Inspected r = Futures.join(scripts.inspect(queue, id), "find job");
        if (r.state().equals("missing")) {
            return Optional.empty();
        }
        JobState state = JobState.parse(r.state());
        Job job = null;
        String malformed = null;
        if (r.json() == null) {
            malformed = "job data is missing";
        } else {
            try {
                job = JobCodec.decodeStored(queue, id, r.json());
            } catch (MalformedJobException e) {
                malformed = e.getMessage();
            }
        }
        return Optional.of(new JobInfo(queue, id, state, r.attempts(), r.lastError(),
                state == JobState.READY ? null : r.since(), job, r.json(), malformed));
    }

    /** The job {@code id} in whichever known queue holds it (one pipelined look-up per queue). */
    public Optional<JobInfo> find(String id) {
        return findIn(inspector.queues(), id);
    }

    /** The job {@code id} in whichever partition of {@code queue}'s logical queue holds it. */
    public Optional<JobInfo> findInPartitions(QueueName queue, String id) {
        List<QueueName> partitions = inspector.partitions(queue);
        return partitions.size() == 1 ? find(partitions.get(0), id) : findIn(partitions, id);
    }

    private Optional<JobInfo> findIn(List<QueueName> queues, String id) {
        List<RedisFuture<Boolean>> found = new ArrayList<>(queues.size());
        for (QueueName q : queues) {
            found.add(redis.hexists(keys.queue(q).data(), id));
        }
        for (int i = 0; i < queues.size(); i++) {
            if (Boolean.TRUE.equals(Futures.join(found.get(i).toCompletableFuture(), "find job"))) {
                return find(queues.get(i), id);
            }
        }
        return Optional.empty();
    }

    /** A page of a queue's jobs in one state (this partition only), and how many are in that state. */
    public JobPage page(QueueName queue, JobState state, int offset, int limit) {
        long total = inState(inspector.counts(queue), state, () -> inspector.expiredCounts(List.of(queue)).get(0));
        return new JobPage(queue, state, offset, limit, total, inspector.list(queue, state, offset, limit));
    }

    /**
     * A page of a logical queue's jobs in one state over every partition of it ({@link QueueInspector#partitions}),
     * partition after partition as if they were one list, and how many are in that state in all of them; the page
     * is named by the logical queue.
     */
    public JobPage pageOfPartitions(QueueName queue, JobState state, int offset, int limit) {
        if (limit < 1 || offset < 0) {
            throw new IllegalArgumentException("page offset must be at least 0 and limit at least 1, were " + offset + " and " + limit);
        }
        List<QueueName> partitions = inspector.partitions(queue);
        List<QueueCounts> counts = inspector.counts(partitions);
        List<Long> expired = state == JobState.EXPIRED ? inspector.expiredCounts(partitions) : null;
        List<JobInfo> jobs = new ArrayList<>();
        long total = 0;
        long skip = offset;
        for (int i = 0; i < partitions.size(); i++) {
            int p = i;
            long n = inState(counts.get(i), state, () -> expired.get(p));
            total += n;
            if (jobs.size() >= limit) {
                continue;
            }
            if (skip >= n) {
                skip -= n;
            } else {
                jobs.addAll(inspector.list(partitions.get(i), state, (int) skip, limit - jobs.size()));
                skip = 0;
            }
        }
        return new JobPage(queue.logical(), state, offset, limit, total, jobs);
    }

    private static long inState(QueueCounts counts, JobState state, LongSupplier expired) {
        return switch (state) {
            case READY -> counts.ready();
            case DELAYED -> counts.delayed();
            case CLAIMED -> counts.claimed();
            case ABANDONED -> counts.abandoned();
            case EXPIRED -> expired.getAsLong();
        };
    }

    /**
     * Deletes each id (at most 1000) that is ready, delayed or abandoned; returns per id what it was
     * ({@code ready}, {@code delayed}, {@code abandoned}) or why not ({@code claimed}: a runner holds it, cancel
     * it first; {@code missing}).
     */
    public Map<String, String> delete(QueueName queue, List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        if (ids.size() > 1000) {
            throw new IllegalArgumentException("delete takes at most 1000 ids a call, got " + ids.size());
        }
        List<String> unique = List.copyOf(new java.util.LinkedHashSet<>(ids));
        List<String> outcome = Futures.join(scripts.delete(queue, unique, false), "delete jobs");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < unique.size(); i++) {
            out.put(unique.get(i), outcome.get(i));
        }
        return out;
    }

    /** Moves a delayed (or backing-off) job to the claim end of ready; false when it is not delayed. */
    public boolean runNow(QueueName queue, String id) {
        boolean[] r = Futures.join(scripts.runNow(queue, id), "run job now");
        if (r[1]) {
            Futures.join(registry.markReady(queue), "run job now");
        }
        return r[0];
    }

    /** Moves an abandoned job back to ready with its attempts reset; false when it is not abandoned. */
    public boolean retry(QueueName queue, String id) {
        boolean moved = maintenance.retryAbandoned(queue, List.of(id)) == 1;
        if (moved) { // a cancel request its last run never saw must not cancel the new one
            Futures.join(redis.hdel(keys.cancels(), ControlMessage.jobKey(queue, id)).toCompletableFuture(), "retry job");
        }
        return moved;
    }

    /**
     * Asks the runner holding a claimed job to cancel its run; false when the job is not claimed. The request is
     * published at once and kept in the cancel requests for a runner that missed the message.
     */
    public boolean cancel(QueueName queue, String id) {
        long now = serverTime();
        Map<String, String> old = Futures.join(redis.hgetall(keys.cancels()).toCompletableFuture(), "cancel job");
        List<String> stale = old.entrySet().stream()
                .filter(e -> parseLong(e.getValue()) < now - CANCEL_REQUEST_KEPT_MILLIS).map(Map.Entry::getKey).toList();
        if (!stale.isEmpty()) {
            redis.hdel(keys.cancels(), stale.toArray(String[]::new));
        }
        // Recorded before the message goes out: the runner deletes the request once it acted on it.
        String request = ControlMessage.jobKey(queue, id);
        Futures.join(redis.hset(keys.cancels(), request, Long.toString(now)).toCompletableFuture(), "cancel job");
        if (!Futures.join(scripts.cancel(queue, id), "cancel job")) {
            Futures.join(redis.hdel(keys.cancels(), request).toCompletableFuture(), "cancel job");
            return false;
        }
        return true;
    }

    /** Pauses a queue ({@code domain/type}) or a type in every domain ({@code *}{@code /type}); false if it was paused. */
    public boolean pause(String name) {
        String checked = checkPauseName(name);
        boolean added = Futures.join(redis.hset(keys.paused(), checked, Long.toString(serverTime())).toCompletableFuture(), "pause");
        Futures.join(redis.publish(keys.wakeChannel(), ControlMessage.paused(checked, true).encode()).toCompletableFuture(), "pause");
        return added;
    }

    /** Resumes what {@link #pause} paused and wakes runners for its queues with ready jobs; false if it was not paused. */
    public boolean resume(String name) {
        String checked = checkPauseName(name);
        boolean removed = Futures.join(redis.hdel(keys.paused(), checked).toCompletableFuture(), "resume") == 1;
        Futures.join(redis.publish(keys.wakeChannel(), ControlMessage.paused(checked, false).encode()).toCompletableFuture(), "resume");
        List<QueueName> queues = inspector.queues().stream().filter(q -> PausedSet.matches(checked, q)).toList();
        for (QueueCounts c : inspector.counts(queues)) {
            if (c.ready() > 0) {
                Futures.join(registry.markReady(c.queue()), "resume");
            }
        }
        return removed;
    }

    /** What is paused: name to paused at (epoch ms), sorted by name. */
    public Map<String, Long> paused() {
        Map<String, String> raw = Futures.join(redis.hgetall(keys.paused()).toCompletableFuture(), "list paused");
        Map<String, Long> out = new TreeMap<>();
        raw.forEach((k, v) -> out.put(k, parseLong(v)));
        return out;
    }

    /** Redis server time (epoch ms). */
    public long serverTime() {
        List<String> t = Futures.join(redis.time().toCompletableFuture(), "server time");
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }

    private static String checkPauseName(String name) {
        if (name != null && name.startsWith("*/")) {
            JobValidator.requireName("type", name.substring(2));
            return name;
        }
        try {
            return QueueName.parse(name).logical().toString(); // a queue is paused with all its partitions
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("pause target '" + name + "' must be domain/type (one queue) or */type"
                    + " (the type in every domain): " + e.getMessage(), e);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

}
