package io.jobrunner.mediawiki;

import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Typed calls of MediaWiki mode's scripts on one queue server: each builds KEYS and ARGV from a queue and maps
 * the reply. Times are UNIX seconds, as MediaWiki stores them.
 */
public final class MwQueueScripts {

    /** MediaWiki's set of queues that hold jobs, on every queue server. */
    public static final String QUEUES_WITH_JOBS = "global:jobqueue:s-queuesWithJobs";

    private final String withAbandonedKey;

    /** @param keyPrefix the prefix of jobrunner's own keys beside MediaWiki's ({@code jobrunner:mw}) */
    public MwQueueScripts(String keyPrefix) {
        this.withAbandonedKey = keyPrefix + ":s-queuesWithAbandoned";
    }

    /** jobrunner's set of the key prefixes of queues holding abandoned jobs. */
    public String withAbandonedKey() {
        return withAbandonedKey;
    }

    /** One {@code mw-maintain.lua} visit of a queue read from {@code s-queuesWithJobs}. */
    public CompletableFuture<MaintainReply> maintain(RedisAsyncCommands<String, String> redis, MwQueue queue, long claimCutoff,
                                                     long pruneCutoff, int attempts, long now, int limit) {
        String p = queue.keyPrefix();
        String[] keys = {p + "z-claimed", p + "h-attempts", p + "l-unclaimed", p + "h-data", p + "z-abandoned", p + "z-delayed",
                QUEUES_WITH_JOBS, withAbandonedKey};
        return MwScript.MAINTAIN.run(redis, keys, Long.toString(claimCutoff), Long.toString(pruneCutoff), Integer.toString(attempts),
                Long.toString(now), queue.queueId(), Integer.toString(limit), p).thenApply(MaintainReply::of);
    }

    /** What one {@code mw-prune-abandoned.lua} call did. */
    public record PruneReply(long pruned, long left, boolean more) {
    }

    /** Deletes a queue's abandoned jobs at or before the cutoff; {@code keyPrefix} is a member of the abandoned set. */
    public CompletableFuture<PruneReply> pruneAbandoned(RedisAsyncCommands<String, String> redis, String keyPrefix, long cutoff, int limit) {
        String[] keys = {keyPrefix + "z-abandoned", keyPrefix + "h-attempts", keyPrefix + "h-data", withAbandonedKey};
        return MwScript.PRUNE_ABANDONED.run(redis, keys, Long.toString(cutoff), Integer.toString(limit), keyPrefix)
                .thenApply(MwQueueScripts::pruneReply);
    }

    private static PruneReply pruneReply(List<Long> reply) {
        if (reply == null || reply.size() != 3) {
            throw new IllegalStateException("mw-prune-abandoned.lua returned " + reply + ", expected 3 integers");
        }
        return new PruneReply(reply.get(0), reply.get(1), reply.get(2) == 1);
    }
}
