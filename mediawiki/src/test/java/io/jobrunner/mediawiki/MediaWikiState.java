package io.jobrunner.mediawiki;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Test fixture: puts MediaWiki JobQueueRedis state into Redis the way MediaWiki leaves it (plain LPUSH, ZADD,
 * HSET, SADD of the queue id), so the chron scripts are tested against MediaWiki's layout. The push is written
 * for the test from the description of MediaWiki's push (one atomic call: ready list, data, the set).
 */
public final class MediaWikiState {

    public static final String QUEUES = MwQueueScripts.QUEUES_WITH_JOBS;
    private static final String PUSH = """
            redis.call('LPUSH', KEYS[1], ARGV[2])
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
            redis.call('SADD', KEYS[3], ARGV[1])
            return 1""";

    private final RedisCommands<String, String> redis;
    public final MwQueue queue;

    public MediaWikiState(RedisCommands<String, String> redis, String type, String domain) {
        this.redis = redis;
        this.queue = new MwQueue(type, domain, queueId(type, domain));
    }

    /** PHP's json_encode([type, domain]) for the plain ASCII names the tests use. */
    static String queueId(String type, String domain) {
        return "[\"" + type + "\",\"" + domain.replace("/", "\\/") + "\"]";
    }

    public String key(String suffix) {
        return queue.key(suffix);
    }

    /** A ready job, pushed in one atomic call like MediaWiki's push script. */
    public void push(String id) {
        push(id, blob(id));
    }

    /** A ready job whose data is {@code data}. */
    public void push(String id, String data) {
        redis.eval(PUSH, ScriptOutputType.INTEGER, new String[]{key("l-unclaimed"), key("h-data"), QUEUES}, queue.queueId(), id, data);
    }

    public void delayed(String id, long releaseAt) {
        redis.zadd(key("z-delayed"), releaseAt, id);
        redis.hset(key("h-data"), id, blob(id));
        redis.sadd(QUEUES, queue.queueId());
    }

    /** A job MediaWiki popped at {@code claimedAt} after {@code attempts} pops (0: no attempts entry). */
    public void claimed(String id, long claimedAt, int attempts) {
        redis.zadd(key("z-claimed"), claimedAt, id);
        if (attempts > 0) {
            redis.hset(key("h-attempts"), id, Integer.toString(attempts));
        }
        redis.hset(key("h-data"), id, blob(id));
        redis.sadd(QUEUES, queue.queueId());
    }

    public void abandoned(String id, long claimedAt, int attempts) {
        redis.zadd(key("z-abandoned"), claimedAt, id);
        redis.hset(key("h-attempts"), id, Integer.toString(attempts));
        redis.hset(key("h-data"), id, blob(id));
    }

    /** MediaWiki's pop: the job at the pop end of the ready list. */
    public String pop() {
        return redis.rpop(key("l-unclaimed"));
    }

    private static String blob(String id) {
        return "a:1:{s:4:\"uuid\";s:" + id.length() + ":\"" + id + "\";}";
    }
}
