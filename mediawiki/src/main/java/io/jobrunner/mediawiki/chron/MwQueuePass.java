package io.jobrunner.mediawiki.chron;

import io.jobrunner.mediawiki.MaintainReply;
import io.jobrunner.mediawiki.MwLimits;
import io.jobrunner.mediawiki.MwNames;
import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.mediawiki.MwQueueScripts;
import io.jobrunner.mediawiki.MwServer;
import io.jobrunner.mediawiki.MwSettings;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One chron pass over every MediaWiki queue (the PHP chron's periodic task, with MediaWiki's keys):
 * <ol>
 *   <li>for each queue server, shuffled: {@code SSCAN s-queuesWithJobs} page by page; each member is decoded
 *       ({@code [type, domain]}; a bad one is counted, warned about once and left alone);</li>
 *   <li>per page, one pipelined round of {@code mw-maintain.lua} calls, and further rounds for the queues whose
 *       reply said {@code more}, up to {@code max-calls-per-queue};</li>
 *   <li>a server that fails is counted and skipped for this pass; the others go on;</li>
 *   <li>returns the ready map's fields (every queue whose last reply had ready jobs) and the pass's counts.</li>
 * </ol>
 * Every script call is atomic and idempotent, so a pass cut short or run twice does no harm.
 */
final class MwQueuePass {

    private static final Logger log = LoggerFactory.getLogger(MwQueuePass.class);

    /** What one pass did. */
    record Result(Map<String, Long> readyFields, long queues, long recycled, long abandoned, long pruned, long undelayed,
                  long orphans, List<String> failedServers) {
    }

    private final List<MwServer> servers;
    private final MwSettings settings;
    private final MwQueueScripts scripts;
    private final long retentionSeconds;
    private final int limit;
    private final MwChronMetrics metrics;
    private final LongSupplier clockSeconds;
    private final Set<String> warnedMembers = Collections.synchronizedSet(new HashSet<>());

    /** @param limit most ids one transition moves in one call ({@code jobrunner.redis.batch-size}, 500 as in PHP) */
    MwQueuePass(List<MwServer> servers, MwSettings settings, java.time.Duration abandonedRetention, int limit, MwChronMetrics metrics,
                LongSupplier clockSeconds) {
        this.servers = servers;
        this.settings = settings;
        this.scripts = new MwQueueScripts(settings.keyPrefix());
        this.retentionSeconds = abandonedRetention.toSeconds();
        this.limit = limit;
        this.metrics = metrics;
        this.clockSeconds = clockSeconds;
    }

    /** Runs the pass; {@code keepAlive} is called every page (the pool lock refresh). */
    Result run(Runnable keepAlive) throws InterruptedException {
        Map<String, Long> ready = new LinkedHashMap<>();
        long[] counts = new long[6];
        List<String> failed = new ArrayList<>();
        List<MwServer> order = new ArrayList<>(servers);
        Collections.shuffle(order);
        for (MwServer server : order) {
            if (server.isDown()) {
                failed.add(server.name());
                metrics.serverFailed(server.name());
                continue;
            }
            try {
                visitServer(server, ready, counts, keepAlive);
            } catch (InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                server.failed();
                failed.add(server.name());
                metrics.serverFailed(server.name());
                log.warn("chron: queue server {} failed during the pass, its queues are skipped until it answers: {}", server.name(), e.getMessage());
            }
        }
        return new Result(ready, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], failed);
    }

    private void visitServer(MwServer server, Map<String, Long> ready, long[] counts, Runnable keepAlive) throws InterruptedException {
        RedisCommands<String, String> sync = server.sync();
        RedisAsyncCommands<String, String> async = server.async();
        Set<String> seen = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.limit(settings.chron().pageSize());
        do {
            ValueScanCursor<String> page = sync.sscan(MwQueueScripts.QUEUES_WITH_JOBS, cursor, args);
            List<MwQueue> queues = new ArrayList<>();
            for (String member : page.getValues()) {
                if (seen.add(member)) {
                    MwQueue queue = decode(member);
                    if (queue != null) {
                        queues.add(queue);
                    }
                }
            }
            maintainPage(async, queues, ready, counts);
            keepAlive.run();
            if (!settings.chron().queuePause().isZero()) {
                Thread.sleep(settings.chron().queuePause().toMillis());
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    private MwQueue decode(String member) {
        try {
            MwQueue queue = MwNames.decodeQueueId(member);
            queue.keyPrefix(); // a domain MediaWiki cannot have fails here
            return queue;
        } catch (IllegalArgumentException e) {
            metrics.badMembers().mark();
            if (warnedMembers.size() < 10_000 && warnedMembers.add(member)) {
                log.warn("chron: skipping member {} of {}: {}", member, MwQueueScripts.QUEUES_WITH_JOBS, e.getMessage());
            }
            return null;
        }
    }

    private void maintainPage(RedisAsyncCommands<String, String> async, List<MwQueue> queues, Map<String, Long> ready, long[] counts) {
        long now = clockSeconds.getAsLong();
        long pruneCutoff = now - retentionSeconds;
        MwLimits limits = settings.limits();
        List<MwQueue> round = queues;
        for (int call = 0; call < settings.chron().maxCallsPerQueue() && !round.isEmpty(); call++) {
            List<CompletableFuture<MaintainReply>> replies = new ArrayList<>(round.size());
            for (MwQueue q : round) {
                replies.add(scripts.maintain(async, q, now - limits.claimTtl(q.type()).toSeconds(), pruneCutoff,
                        limits.attempts(q.type()), now, limit));
            }
            List<MwQueue> again = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                MwQueue q = round.get(i);
                MaintainReply r = replies.get(i).join();
                if (call == 0) {
                    counts[0]++;
                }
                counts[1] += r.recycled();
                counts[2] += r.abandoned();
                counts[3] += r.pruned();
                counts[4] += r.undelayed();
                counts[5] += r.orphans();
                String wiki = q.wikiId();
                metrics.count(MwChronMetrics.RECYCLED, wiki, q.type(), r.recycled());
                metrics.count(MwChronMetrics.ABANDONED, wiki, q.type(), r.abandoned());
                metrics.count(MwChronMetrics.PRUNED, wiki, q.type(), r.pruned());
                metrics.count(MwChronMetrics.PROMOTED, wiki, q.type(), r.undelayed());
                metrics.count(MwChronMetrics.ORPHANS, wiki, q.type(), r.orphans());
                String field = MwNames.readyField(q.type(), q.domain());
                if (r.ready() > 0) {
                    ready.put(field, now);
                } else {
                    ready.remove(field);
                }
                if (r.more()) {
                    again.add(q);
                }
            }
            round = again;
        }
    }

}
