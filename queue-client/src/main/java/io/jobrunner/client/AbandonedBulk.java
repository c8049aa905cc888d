package io.jobrunner.client;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retry or purge many abandoned jobs by an {@link AbandonedFilter}, or only count them (a dry run):
 * <ol>
 *   <li>walks the matching queues' abandoned sets page by page (batch-size ids a read, with their last errors);</li>
 *   <li>acts on the matching ids in batches through the same scripts as single jobs (retry-abandoned, delete), so
 *       a job that left the abandoned set meanwhile (retried or pruned by someone else) is skipped, never moved
 *       twice;</li>
 *   <li>reports per queue how many matched and how many it moved or deleted, with a few ids as a sample.</li>
 * </ol>
 */
public final class AbandonedBulk {

    /** What a bulk action does. */
    public enum Action { RETRY, PURGE }

    /** @param perQueue queue to jobs acted on (or matched, in a dry run) */
    public record Result(Action action, boolean dryRun, long matched, long acted, Map<String, Long> perQueue, List<String> sample) {
    }

    private static final int SAMPLE = 20;

    private final QueueInspector inspector;
    private final QueueMaintenance maintenance;
    private final OperatorScripts scripts;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyLayout keys;
    private final int batchSize;

    AbandonedBulk(QueueInspector inspector, QueueMaintenance maintenance, OperatorScripts scripts,
                  RedisClusterAsyncCommands<String, String> redis, KeyLayout keys, int batchSize) {
        this.inspector = inspector;
        this.maintenance = maintenance;
        this.scripts = scripts;
        this.redis = redis;
        this.keys = keys;
        this.batchSize = Math.min(batchSize, 1000);
    }

    public Result run(AbandonedFilter filter, Action action, boolean dryRun) {
        List<QueueName> queues = inspector.queues().stream().filter(filter::matchesQueue)
                .sorted(Comparator.comparing(QueueName::toString)).toList();
        long matched = 0;
        long acted = 0;
        Map<String, Long> perQueue = new LinkedHashMap<>();
        List<String> sample = new ArrayList<>();
        for (QueueCounts c : inspector.counts(queues)) {
            if (c.abandoned() == 0) {
                continue;
            }
            List<String> ids = matching(c.queue(), filter);
            matched += ids.size();
            for (String id : ids) {
                if (sample.size() < SAMPLE) {
                    sample.add(c.queue() + " " + id);
                }
            }
            long n = dryRun ? ids.size() : act(c.queue(), ids, action);
            acted += dryRun ? 0 : n;
            if (n > 0) {
                perQueue.put(c.queue().toString(), n);
            }
        }
        return new Result(action, dryRun, matched, acted, perQueue, sample);
    }

    private List<String> matching(QueueName queue, AbandonedFilter filter) {
        QueueKeys k = keys.queue(queue);
        List<String> out = new ArrayList<>();
        for (long start = 0; ; start += batchSize) {
            List<ScoredValue<String>> page = Futures.join(redis.zrangeWithScores(k.abandoned(), start, start + batchSize - 1)
                    .toCompletableFuture(), "bulk abandoned");
            if (page.isEmpty()) {
                return out;
            }
            String[] fields = page.stream().map(sv -> sv.getValue() + ":e").toArray(String[]::new);
            List<KeyValue<String, String>> errors = Futures.join(redis.hmget(k.meta(), fields).toCompletableFuture(), "bulk abandoned");
            for (int i = 0; i < page.size(); i++) {
                if (filter.matches(page.get(i).getScore(), errors.get(i).getValueOrElse(null))) {
                    out.add(page.get(i).getValue());
                }
            }
            if (page.size() < batchSize) {
                return out;
            }
        }
    }

    private long act(QueueName queue, List<String> ids, Action action) {
        if (action == Action.RETRY) {
            return maintenance.retryAbandoned(queue, ids);
        }
        long n = 0;
        for (int from = 0; from < ids.size(); from += batchSize) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + batchSize));
            n += Futures.join(scripts.delete(queue, batch, true), "bulk purge").stream().filter("abandoned"::equals).count();
        }
        return n;
    }
}
