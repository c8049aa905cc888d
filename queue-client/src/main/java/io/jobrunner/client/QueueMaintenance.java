package io.jobrunner.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the chron and operators do to queues: recycle expired claims, promote due delayed jobs, prune old
 * abandoned jobs, retry or purge abandoned jobs. Each call is one bounded script call (the batch size);
 * each registers the queue as ready and wakes runners when it made ready work appear. Every time compared is the
 * server's (the scripts read it): callers pass durations.
 */
public final class QueueMaintenance {

    /** The most script calls one {@link #retryAbandoned}/{@link #purgeAbandoned}/{@link #workDue} call makes per step. */
    private static final int MAX_ROUNDS = 10_000;

    private final QueueScripts scripts;
    private final QueueRegistry registry;
    private final int batchSize;

    QueueMaintenance(QueueScripts scripts, QueueRegistry registry, int batchSize) {
        this.scripts = scripts;
        this.registry = registry;
        this.batchSize = batchSize;
    }

    /**
     * One batch of expired claims back to ready, or abandoned when out of attempts: by the max attempts the
     * claiming runner stored with the claim, by {@code maxAttempts} for claims that stored none.
     */
    public CompletableFuture<RecycleResult> recycle(QueueName queue, int maxAttempts) {
        return scripts.recycle(queue, batchSize, maxAttempts)
                .thenCompose(r -> r.readyWasEmpty() ? registry.markReady(queue).thenApply(v -> r) : CompletableFuture.completedFuture(r));
    }

    /** One batch of due delayed jobs to ready. */
    public CompletableFuture<PromoteResult> promote(QueueName queue) {
        return scripts.promote(queue, batchSize)
                .thenCompose(r -> r.readyWasEmpty() ? registry.markReady(queue).thenApply(v -> r) : CompletableFuture.completedFuture(r));
    }

    /**
     * One batch of abandoned jobs abandoned at least {@code jobRetention} ago and root entries last written at least
     * {@code rootRetention} ago deleted (server time).
     */
    public CompletableFuture<PruneResult> prune(QueueName queue, Duration jobRetention, Duration rootRetention) {
        return scripts.prune(queue, jobRetention.toMillis(), rootRetention.toMillis(), batchSize);
    }

    /**
     * Works a queue taken from the due index: takes it out of the index first, recycles and promotes until a
     * short batch comes back, then puts back its next due time; a queue with nothing claimed or delayed left
     * is not put back, so it leaves the index. The order (out, work, back with ZADD LT) is what keeps a
     * concurrent push's lower due time from being overwritten.
     */
    public DueWork workDue(QueueName queue, int maxAttempts) {
        return Futures.join(workDueAsync(queue, maxAttempts), "work due queue");
    }

    /**
     * {@link #workDue} without blocking: each step is sent when the one before it has answered, so the order
     * holds per queue, while the steps of many queues worked at once share round trips on the connection
     * (the chron works a whole read of the due index this way).
     */
    public CompletableFuture<DueWork> workDueAsync(QueueName queue, int maxAttempts) {
        return registry.clearDue(queue)
                .thenCompose(v -> recycleUntilShort(queue, maxAttempts, new DueWork(queue, 0, 0, 0, -1, 0), 0))
                .thenCompose(recycled -> promoteUntilShort(queue, recycled, 0))
                .thenCompose(done -> done.nextDue() < 0 ? CompletableFuture.completedFuture(done)
                        : registry.lowerDue(queue, done.nextDue()).thenApply(v -> done));
    }

    private CompletableFuture<DueWork> recycleUntilShort(QueueName queue, int maxAttempts, DueWork sofar, int round) {
        return recycle(queue, maxAttempts).thenCompose(r -> {
            DueWork total = new DueWork(queue, sofar.recycled() + r.recycled(), sofar.abandoned() + r.abandoned(), 0, r.nextDue(),
                    sofar.unstarted() + r.unstarted());
            return r.more() && round + 1 < MAX_ROUNDS ? recycleUntilShort(queue, maxAttempts, total, round + 1)
                    : CompletableFuture.completedFuture(total);
        });
    }

    private CompletableFuture<DueWork> promoteUntilShort(QueueName queue, DueWork sofar, int round) {
        return promote(queue).thenCompose(p -> {
            DueWork total = new DueWork(queue, sofar.recycled(), sofar.abandoned(), sofar.promoted() + p.promoted(), p.nextDue(),
                    sofar.unstarted());
            return p.more() && round + 1 < MAX_ROUNDS ? promoteUntilShort(queue, total, round + 1)
                    : CompletableFuture.completedFuture(total);
        });
    }

    /**
     * What {@link #workDue} did to one queue; {@code nextDue} (epoch ms, server clock) is -1 when nothing more is
     * due; {@code unstarted} counts the recycled claims that were never started (their attempt given back).
     */
    public record DueWork(QueueName queue, int recycled, int abandoned, int promoted, long nextDue, int unstarted) {
    }

    /** Moves abandoned jobs back to ready with attempts reset: the given ids, or all when {@code ids} is empty. */
    public int retryAbandoned(QueueName queue, List<String> ids) {
        int moved = 0;
        if (!ids.isEmpty()) {
            for (int from = 0; from < ids.size(); from += batchSize) {
                RetryAbandonedResult r = Futures.join(scripts.retryAbandoned(queue, batchSize,
                        ids.subList(from, Math.min(ids.size(), from + batchSize))), "retry abandoned");
                moved += r.moved();
                if (r.readyWasEmpty()) {
                    Futures.join(registry.markReady(queue), "mark ready");
                }
            }
            return moved;
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            RetryAbandonedResult r = Futures.join(scripts.retryAbandoned(queue, batchSize, List.of()), "retry abandoned");
            moved += r.moved();
            if (r.readyWasEmpty()) {
                Futures.join(registry.markReady(queue), "mark ready");
            }
            if (!r.more()) {
                break;
            }
        }
        return moved;
    }

    /** Deletes every abandoned job of the queue; returns how many. */
    public int purgeAbandoned(QueueName queue) {
        int pruned = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            PruneResult r = Futures.join(scripts.prune(queue, -1, -1, batchSize), "purge abandoned");
            pruned += r.prunedJobs();
            if (!r.more()) {
                break;
            }
        }
        return pruned;
    }
}
