package io.jobrunner.mediawiki;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A walk over one queue server's keys ({@code SCAN MATCH *:jobqueue:*}), for what no set lists:
 * <ol>
 *   <li>queues holding abandoned jobs that jobrunner's abandoned set does not list (left by a PHP chron): added,
 *       so the pruner reaches them;</li>
 *   <li>queues with waiting jobs ({@code l-unclaimed}, {@code z-claimed}, {@code z-delayed}) whose queue is not in
 *       {@code s-queuesWithJobs}, typically dropped by a PHP chron that computed the wrong keys. These are only
 *       reported: a wiki ID does not map back to one domain ID, so their queue id cannot be rebuilt. Any push
 *       to the queue lists it again.</li>
 * </ol>
 */
public final class MwStartScan {

    /** What the walk found: key prefixes registered as abandoned, and key prefixes of unlisted queues with jobs. */
    public record Found(Set<String> abandonedRegistered, Set<String> unlisted, long keysSeen) {
    }

    private static final List<String> WAITING = List.of("l-unclaimed", "z-claimed", "z-delayed");

    private final MwQueueScripts scripts;

    public MwStartScan(String keyPrefix) {
        this.scripts = new MwQueueScripts(keyPrefix);
    }

    /** True when this server has no abandoned set yet (never maintained by jobrunner). */
    public boolean needed(RedisCommands<String, String> redis) {
        return redis.exists(scripts.withAbandonedKey()) == 0;
    }

    public Found scan(RedisCommands<String, String> redis) {
        Set<String> listed = new HashSet<>();
        for (String member : redis.smembers(MwQueueScripts.QUEUES_WITH_JOBS)) {
            try {
                listed.add(MwNames.decodeQueueId(member).keyPrefix());
            } catch (IllegalArgumentException e) {
                // a bad member lists nothing; the chron pass reports it
            }
        }
        Set<String> registered = new TreeSet<>();
        Set<String> unlisted = new TreeSet<>();
        long seen = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs args = ScanArgs.Builder.matches("*:jobqueue:*").limit(1000);
        do {
            KeyScanCursor<String> page = redis.scan(cursor, args);
            for (String key : page.getKeys()) {
                seen++;
                int colon = key.lastIndexOf(':');
                String prefix = key.substring(0, colon + 1);
                String suffix = key.substring(colon + 1);
                if (suffix.equals("z-abandoned")) {
                    if (redis.sadd(scripts.withAbandonedKey(), prefix) == 1) {
                        registered.add(prefix);
                    }
                } else if (WAITING.contains(suffix) && !listed.contains(prefix) && !key.startsWith("global:")) {
                    unlisted.add(prefix);
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return new Found(registered, unlisted, seen);
    }
}
