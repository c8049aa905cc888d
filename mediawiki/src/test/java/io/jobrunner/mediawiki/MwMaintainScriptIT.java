package io.jobrunner.mediawiki;

import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code mw-maintain.lua} and {@code mw-prune-abandoned.lua} on MediaWiki's own layout, one behaviour per test. */
class MwMaintainScriptIT {

    static final long NOW = 1_800_000_000L;
    static final long TTL = 60;
    static final long RETENTION = 3600;

    static RunningRedis server;
    static RedisClient client;
    static StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> redis;
    RedisAsyncCommands<String, String> async;
    final MwQueueScripts scripts = new MwQueueScripts("jobrunner:mw");
    MediaWikiState wiki;

    @BeforeAll
    static void startRedis() {
        server = RedisServers.startDedicated();
        client = RedisClient.create(server.uri());
        connection = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown();
        server.close();
    }

    @BeforeEach
    void clean() {
        redis = connection.sync();
        async = connection.async();
        redis.flushall();
        wiki = new MediaWikiState(redis, "refreshLinks", "my?hwiki");
    }

    MaintainReply maintain(int attempts, int limit) {
        return scripts.maintain(async, wiki.queue, NOW - TTL, NOW - RETENTION, attempts, NOW, limit).join();
    }

    @Test
    void anExpiredClaimWithAttemptsLeftIsRecycledToThePopEnd() {
        wiki.push("ready1");
        wiki.claimed("late", NOW - TTL, 1);
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.recycled()).isEqualTo(1);
        assertThat(wiki.pop()).as("RPUSH: the recycled job runs next").isEqualTo("late");
        assertThat(redis.zcard(wiki.key("z-claimed"))).isZero();
        assertThat(redis.hget(wiki.key("h-attempts"), "late")).as("attempts are MediaWiki's to count").isEqualTo("1");
    }

    @Test
    void aClaimNotYetExpiredStays() {
        wiki.claimed("fresh", NOW - TTL + 1, 1);
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.recycled()).isZero();
        assertThat(reply.claimed()).isEqualTo(1);
        assertThat(redis.sismember(MediaWikiState.QUEUES, wiki.queue.queueId())).isTrue();
    }

    @Test
    void anExpiredClaimOutOfAttemptsIsAbandonedWithItsClaimTime() {
        wiki.claimed("tired", NOW - 100, 3);
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.abandoned()).isEqualTo(1);
        assertThat(redis.zscore(wiki.key("z-abandoned"), "tired")).isEqualTo((double) (NOW - 100));
        assertThat(redis.hexists(wiki.key("h-data"), "tired")).isTrue();
        assertThat(redis.sismember(MediaWikiState.QUEUES, wiki.queue.queueId())).as("nothing alive").isFalse();
        assertThat(redis.sismember(scripts.withAbandonedKey(), wiki.queue.keyPrefix())).as("listed for pruning").isTrue();
    }

    @Test
    void aClaimWithoutAttemptsEntryCountsAsZeroAndIsRecycled() {
        wiki.claimed("noattempts", NOW - TTL, 0);
        assertThat(maintain(3, 500).recycled()).isEqualTo(1);
        assertThat(wiki.pop()).isEqualTo("noattempts");
    }

    @Test
    void aClaimWhoseDataIsGoneIsDroppedAndCounted() {
        wiki.push("keepsDataAlive");
        redis.zadd(wiki.key("z-claimed"), NOW - TTL, "orphan");
        redis.hset(wiki.key("h-attempts"), "orphan", "1");
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.orphans()).isEqualTo(1);
        assertThat(reply.recycled()).isZero();
        assertThat(redis.hexists(wiki.key("h-attempts"), "orphan")).isFalse();
        assertThat(redis.lrange(wiki.key("l-unclaimed"), 0, -1)).containsExactly("keepsDataAlive");
    }

    @Test
    void abandonedJobsPastRetentionArePruned() {
        wiki.push("alive");
        wiki.abandoned("old", NOW - RETENTION, 3);
        wiki.abandoned("young", NOW - RETENTION + 1, 3);
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.pruned()).isEqualTo(1);
        assertThat(reply.abandonedLeft()).isEqualTo(1);
        assertThat(redis.hexists(wiki.key("h-data"), "old")).isFalse();
        assertThat(redis.hexists(wiki.key("h-attempts"), "old")).isFalse();
        assertThat(redis.hexists(wiki.key("h-data"), "young")).isTrue();
    }

    @Test
    void dueDelayedJobsGoToTheBackInReleaseOrder() {
        wiki.push("waiting");
        wiki.delayed("first", NOW - 5);
        wiki.delayed("second", NOW);
        wiki.delayed("later", NOW + 1);
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.undelayed()).isEqualTo(2);
        assertThat(reply.delayed()).isEqualTo(1);
        assertThat(wiki.pop()).isEqualTo("waiting");
        assertThat(wiki.pop()).isEqualTo("first");
        assertThat(wiki.pop()).isEqualTo("second");
    }

    @Test
    void aFullTransitionSaysMoreAndTheNextCallGoesOn() {
        for (int i = 0; i < 5; i++) {
            wiki.claimed("c" + i, NOW - TTL - i, 1);
        }
        MaintainReply first = maintain(3, 3);
        assertThat(first.recycled()).isEqualTo(3);
        assertThat(first.more()).isTrue();
        MaintainReply second = maintain(3, 3);
        assertThat(second.recycled()).isEqualTo(2);
        assertThat(second.more()).isFalse();
    }

    @Test
    void aQueueWithoutDataLeavesBothSets() {
        redis.sadd(MediaWikiState.QUEUES, wiki.queue.queueId());
        redis.sadd(scripts.withAbandonedKey(), wiki.queue.keyPrefix());
        redis.lpush(wiki.key("l-unclaimed"), "ghost");
        MaintainReply reply = maintain(3, 500);
        assertThat(reply).isEqualTo(new MaintainReply(0, 0, 0, 0, 0, 0, 0, 0, 0, false));
        assertThat(redis.smembers(MediaWikiState.QUEUES)).isEmpty();
        assertThat(redis.smembers(scripts.withAbandonedKey())).isEmpty();
    }

    @Test
    void membershipFollowsWhatIsAlive() {
        wiki.delayed("d", NOW + 100);
        maintain(3, 500);
        assertThat(redis.sismember(MediaWikiState.QUEUES, wiki.queue.queueId())).as("a delayed job is alive").isTrue();
        redis.zrem(wiki.key("z-delayed"), "d");
        wiki.abandoned("a", NOW, 3);
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.abandonedLeft()).isEqualTo(1);
        assertThat(redis.sismember(MediaWikiState.QUEUES, wiki.queue.queueId())).as("abandoned is not alive").isFalse();
        assertThat(redis.sismember(scripts.withAbandonedKey(), wiki.queue.keyPrefix())).isTrue();
    }

    @Test
    void aPushBetweenTwoVisitsNeverLeavesTheQueueUnlisted() {
        wiki.abandoned("a", NOW, 3);
        maintain(3, 500);
        assertThat(redis.sismember(MediaWikiState.QUEUES, wiki.queue.queueId())).isFalse();
        wiki.push("new");
        assertThat(redis.sismember(MediaWikiState.QUEUES, wiki.queue.queueId())).as("MediaWiki's push lists it").isTrue();
        MaintainReply reply = maintain(3, 500);
        assertThat(reply.ready()).isEqualTo(1);
        assertThat(redis.sismember(MediaWikiState.QUEUES, wiki.queue.queueId())).as("the next visit keeps it listed").isTrue();
    }

    @Test
    void badArgumentsAreRefusedByName() {
        wiki.push("x");
        assertThatThrownBy(() -> maintain(0, 500)).hasMessageContaining("JR_BAD_ARGS attempts");
        assertThatThrownBy(() -> maintain(3, 1001)).hasMessageContaining("JR_BAD_ARGS limit");
    }

    @Test
    void pruneAbandonedDeletesOldJobsAndForgetsTheEmptiedQueue() {
        wiki.abandoned("old1", NOW - RETENTION, 3);
        wiki.abandoned("old2", NOW - RETENTION - 1, 3);
        wiki.abandoned("young", NOW, 3);
        String prefix = wiki.queue.keyPrefix();
        redis.sadd(scripts.withAbandonedKey(), prefix);
        MwQueueScripts.PruneReply first = scripts.pruneAbandoned(async, prefix, NOW - RETENTION, 1).join();
        assertThat(first).isEqualTo(new MwQueueScripts.PruneReply(1, 2, true));
        MwQueueScripts.PruneReply second = scripts.pruneAbandoned(async, prefix, NOW - RETENTION, 500).join();
        assertThat(second).isEqualTo(new MwQueueScripts.PruneReply(1, 1, false));
        assertThat(redis.sismember(scripts.withAbandonedKey(), prefix)).isTrue();
        scripts.pruneAbandoned(async, prefix, NOW, 500).join();
        assertThat(redis.sismember(scripts.withAbandonedKey(), prefix)).isFalse();
        assertThat(redis.exists(wiki.key("h-data"), wiki.key("h-attempts"), wiki.key("z-abandoned"))).isZero();
    }
}
