package io.jobrunner.mediawiki.chron;

import io.jobrunner.mediawiki.MwQueueScripts;
import io.jobrunner.mediawiki.MwServer;
import io.jobrunner.mediawiki.MwSettings;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Deletes abandoned MediaWiki jobs past the retention in every queue of jobrunner's abandoned set, on every
 * queue server, calling {@code mw-prune-abandoned.lua} per queue while it says {@code more}. This reaches the
 * queues that hold only abandoned jobs, which have left {@code s-queuesWithJobs} and which the PHP chron never
 * visited again. Returns the number of jobs deleted.
 */
final class MwAbandonedPruner {

    private static final Logger log = LoggerFactory.getLogger(MwAbandonedPruner.class);
    private static final int MAX_CALLS_PER_QUEUE = 100;

    private final List<MwServer> servers;
    private final MwQueueScripts scripts;
    private final int pageSize;
    private final int limit;
    private final MwChronMetrics metrics;

    MwAbandonedPruner(List<MwServer> servers, MwSettings settings, int limit, MwChronMetrics metrics) {
        this.servers = servers;
        this.scripts = new MwQueueScripts(settings.keyPrefix());
        this.pageSize = settings.chron().pageSize();
        this.limit = limit;
        this.metrics = metrics;
    }

    long prune(long cutoffSeconds) {
        long pruned = 0;
        for (MwServer server : servers) {
            if (server.isDown()) {
                continue;
            }
            try {
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    ValueScanCursor<String> page = server.sync().sscan(scripts.withAbandonedKey(), cursor, ScanArgs.Builder.limit(pageSize));
                    for (String prefix : page.getValues()) {
                        for (int call = 0; call < MAX_CALLS_PER_QUEUE; call++) {
                            MwQueueScripts.PruneReply reply = scripts.pruneAbandoned(server.async(), prefix, cutoffSeconds, limit).join();
                            pruned += reply.pruned();
                            countPruned(prefix, reply.pruned());
                            if (!reply.more()) {
                                break;
                            }
                        }
                    }
                    cursor = page;
                } while (!cursor.isFinished());
            } catch (RuntimeException e) {
                server.failed();
                metrics.serverFailed(server.name());
                log.warn("chron: pruning abandoned jobs on {} failed, retried at the next prune: {}", server.name(), e.getMessage());
            }
        }
        if (pruned > 0) {
            log.info("chron: pruned {} abandoned MediaWiki job(s) past the retention", pruned);
        }
        return pruned;
    }

    /** Counts under the wiki ID and type of a key prefix {@code <wiki>:jobqueue:<type>:}. */
    private void countPruned(String prefix, long n) {
        int at = prefix.indexOf(":jobqueue:");
        boolean parses = at > 0 && prefix.endsWith(":") && prefix.length() > at + ":jobqueue:".length() + 1;
        metrics.count(MwChronMetrics.PRUNED, parses ? prefix.substring(0, at) : "unknown",
                parses ? prefix.substring(at + ":jobqueue:".length(), prefix.length() - 1) : prefix, n);
    }
}
