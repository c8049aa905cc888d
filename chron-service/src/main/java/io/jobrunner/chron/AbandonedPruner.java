package io.jobrunner.chron;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.KeyLayout;
import io.jobrunner.client.PruneResult;
import io.jobrunner.client.QueueKeys;
import io.jobrunner.client.QueueMaintenance;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.QueueRegistry;
import io.lettuce.core.RedisFuture;
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
 * The AbandonedPruner duty, every {@code prune-interval}:
 * <ol>
 *   <li>walks {@code jr:queues} with SSCAN, {@code page-size} queues a page;</li>
 *   <li>per page, one pipelined round trip reads each queue's oldest abandoned job and least recently written
 *       root entry;</li>
 *   <li>prunes, in bounded batches until a short one, the queues that have something past its retention:
 *       abandoned jobs abandoned longer ago than {@code abandoned-retention} (job data and metadata too) and root
 *       entries last written longer ago than {@code root-retention} (by Redis's clock, not the producers').</li>
 * </ol>
 * A queue that holds nothing but abandoned jobs stays in {@code jr:queues} ({@link RegistryRepair} keeps it
 * there while it has abandoned jobs or root entries), so it is pruned too; the original chron leaked these.
 * Idempotent: a second run finds nothing old.
 */
final class AbandonedPruner implements Duty {

    static final String NAME = "prune";
    private static final Logger log = LoggerFactory.getLogger(AbandonedPruner.class);
    private static final int MAX_ROUNDS = 10_000;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyLayout keys;
    private final QueueRegistry registry;
    private final QueueMaintenance maintenance;
    private final ChronSettings settings;
    private final ChronMetrics metrics;

    AbandonedPruner(JobRunnerClient client, ChronSettings settings, ChronMetrics metrics) {
        this.redis = client.redisAsync();
        this.keys = client.keys();
        this.registry = client.registry();
        this.maintenance = client.maintenance();
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Long> run(BooleanSupplier stillLeader) {
        Tally tally = new Tally(metrics);
        long now = Await.get(registry.serverTime(), "read server time"); // stored times are Redis's
        long jobCutoff = now - settings.abandonedRetention().toMillis();
        long rootCutoff = now - settings.rootRetention().toMillis();
        String cursor = "0";
        long visited = 0;
        do {
            if (!stillLeader.getAsBoolean()) {
                break;
            }
            QueueRegistry.KnownQueuesPage page = Await.get(registry.knownQueues(cursor, settings.pageSize()), "scan known queues");
            for (QueueName queue : dueForPruning(page.queues(), jobCutoff, rootCutoff)) {
                if (!stillLeader.getAsBoolean()) {
                    break;
                }
                prune(queue, tally);
            }
            visited += page.queues().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        tally.note("queues", visited);
        return tally.counts();
    }

    /** The queues of a page whose oldest abandoned job or root entry is past its cutoff (one pipelined round trip). */
    private List<QueueName> dueForPruning(List<QueueName> queues, long jobCutoff, long rootCutoff) {
        List<RedisFuture<List<ScoredValue<String>>>> oldestAbandoned = new ArrayList<>(queues.size());
        List<RedisFuture<List<ScoredValue<String>>>> oldestRoot = new ArrayList<>(queues.size());
        for (QueueName queue : queues) {
            QueueKeys k = keys.queue(queue);
            oldestAbandoned.add(redis.zrangeWithScores(k.abandoned(), 0, 0));
            oldestRoot.add(redis.zrangeWithScores(k.rootsWritten(), 0, 0));
        }
        List<QueueName> out = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            if (atOrBefore(Await.get(oldestAbandoned.get(i), "read oldest abandoned"), jobCutoff)
                    || atOrBefore(Await.get(oldestRoot.get(i), "read oldest root"), rootCutoff)) {
                out.add(queues.get(i));
            }
        }
        return out;
    }

    private static boolean atOrBefore(List<ScoredValue<String>> first, long cutoff) {
        return !first.isEmpty() && first.get(0).getScore() <= cutoff;
    }

    private void prune(QueueName queue, Tally tally) {
        try {
            int jobs = 0;
            int roots = 0;
            for (int round = 0; round < MAX_ROUNDS; round++) {
                PruneResult r = Await.get(maintenance.prune(queue, settings.abandonedRetention(), settings.rootRetention()), "prune");
                jobs += r.prunedJobs();
                roots += r.prunedRoots();
                if (!r.more()) {
                    break;
                }
            }
            tally.add(ChronMetrics.PRUNED, queue.type(), jobs);
            tally.add(ChronMetrics.PRUNED_ROOTS, queue.type(), roots);
            if (jobs > 0) {
                log.info("queue {}: deleted {} abandoned job(s) older than {}", queue, jobs, settings.abandonedRetention());
            }
        } catch (CancellationException e) {
            throw e; // stopping
        } catch (RuntimeException e) {
            metrics.dutyErrors(NAME).mark();
            log.warn("queue {}: pruning failed, trying again next run: {}", queue, e.toString());
        }
    }

    @Override
    public Duration nextDelay() {
        return Jitter.shorten(settings.pruneInterval());
    }
}
