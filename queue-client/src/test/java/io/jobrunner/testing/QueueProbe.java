package io.jobrunner.testing;

import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueKeys;
import io.jobrunner.client.QueueName;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.time.Duration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one queue's keys directly, for assertions about where a job is. {@link #stateOf} also checks the
 * invariant of the state machine (docs/internals.md): a stored job is in exactly one state, and a job in a state
 * is stored.
 */
public final class QueueProbe {

    private final RedisClusterCommands<String, String> redis;
    private final QueueKeys keys;
    private final String dueKey;

    private QueueProbe(RedisClusterCommands<String, String> redis, QueueKeys keys, String dueKey) {
        this.redis = redis;
        this.keys = keys;
        this.dueKey = dueKey;
    }

    public static QueueProbe of(JobRunnerClient client, QueueName queue) {
        return new QueueProbe(client.redis(), client.keys().queue(queue), client.keys().due());
    }

    /**
     * Makes time pass for this queue without waiting: every stored time of it (claim deadlines, release times,
     * abandon times, root write times, its due-index entry) moves {@code by} into the past. The scripts read
     * Redis's clock, so tests of expiry move the stored times instead of a clock.
     */
    public QueueProbe age(Duration by) {
        for (String key : List.of(keys.claimed(), keys.delayed(), keys.abandoned(), keys.rootsWritten())) {
            for (ScoredValue<String> sv : redis.zrangeWithScores(key, 0, -1)) {
                redis.zadd(key, sv.getScore() - by.toMillis(), sv.getValue());
            }
        }
        Double due = redis.zscore(dueKey, keys.queue().toString());
        if (due != null) {
            redis.zadd(dueKey, due - by.toMillis(), keys.queue().toString());
        }
        return this;
    }

    /** {@link #age} for every queue of the client's prefix, and the whole due index. */
    public static void ageAll(JobRunnerClient client, Duration by) {
        RedisClusterCommands<String, String> redis = client.redis();
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(client.keys().prefix() + ":{*}:*").limit(1000));
            for (String key : page.getKeys()) {
                if (key.endsWith("}:claimed") || key.endsWith("}:delayed") || key.endsWith("}:abandoned")
                        || key.endsWith("}:roots-written")) {
                    keys.add(key);
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        keys.add(client.keys().due());
        keys.removeIf(key -> !"zset".equals(redis.type(key))); // a test may have broken one on purpose
        for (String key : keys) {
            for (ScoredValue<String> sv : redis.zrangeWithScores(key, 0, -1)) {
                redis.zadd(key, sv.getScore() - by.toMillis(), sv.getValue());
            }
        }
    }

    /** Redis's clock, epoch ms: what the scripts stamp stored times with. */
    public long serverTime() {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    public QueueKeys keys() {
        return keys;
    }

    /**
     * Where the job is, or null when it is gone (no data, in no state). Throws {@link AssertionError} when
     * the invariant is broken: in two states, twice in ready, in a state without data, or data without state.
     */
    public JobState stateOf(String id) {
        List<JobState> states = new ArrayList<>();
        List<Long> positions = redis.lpos(keys.ready(), id, 0); // COUNT 0: every position
        if (positions.size() > 1) {
            throw new AssertionError("job " + id + " is " + positions.size() + " times in ready");
        }
        if (positions.size() == 1) {
            states.add(JobState.READY);
        }
        if (redis.zscore(keys.delayed(), id) != null) {
            states.add(JobState.DELAYED);
        }
        if (redis.zscore(keys.claimed(), id) != null) {
            states.add(JobState.CLAIMED);
        }
        if (redis.zscore(keys.abandoned(), id) != null) {
            states.add(JobState.ABANDONED);
        }
        if (redis.zscore(keys.expired(), id) != null) {
            states.add(JobState.EXPIRED);
        }
        boolean stored = redis.hexists(keys.data(), id);
        if (states.size() > 1) {
            throw new AssertionError("job " + id + " is in several states: " + states);
        }
        if (states.isEmpty() && stored) {
            throw new AssertionError("job " + id + " is stored but in no state");
        }
        if (!states.isEmpty() && !stored) {
            throw new AssertionError("job " + id + " is " + states.get(0) + " but its data is gone");
        }
        return states.isEmpty() ? null : states.get(0);
    }

    /** Ready ids in the order claims take them (next first). */
    public List<String> readyInClaimOrder() {
        List<String> ids = new ArrayList<>(redis.lrange(keys.ready(), 0, -1));
        Collections.reverse(ids);
        return ids;
    }

    /** The score of the job in the state's zset (release time, deadline, abandoned at), or null. */
    public Long score(JobState state, String id) {
        String key = switch (state) {
            case DELAYED -> keys.delayed();
            case CLAIMED -> keys.claimed();
            case ABANDONED -> keys.abandoned();
            case EXPIRED -> keys.expired();
            case READY -> throw new IllegalArgumentException("ready jobs have no score");
        };
        Double score = redis.zscore(key, id);
        return score == null ? null : score.longValue();
    }

    /** Attempts counted so far (0 when never claimed or reset). */
    public int attempts(String id) {
        String value = redis.hget(keys.meta(), id + ":a");
        return value == null ? 0 : Integer.parseInt(value);
    }

    public String lastError(String id) {
        return redis.hget(keys.meta(), id + ":e");
    }

    public String token(String id) {
        return redis.hget(keys.meta(), id + ":t");
    }

    /** Every meta field of this job ("a", "t", "e", "d", "r", "rt") with its value. */
    public Map<String, String> meta(String id) {
        Map<String, String> out = new TreeMap<>();
        redis.hgetall(keys.meta()).forEach((field, value) -> {
            if (field.startsWith(id + ":")) {
                out.put(field.substring(id.length() + 1), value);
            }
        });
        return out;
    }

    /** The stored JSON, or null. */
    public String data(String id) {
        return redis.hget(keys.data(), id);
    }

    /** dedup key -> id, for waiting jobs. */
    public Map<String, String> dedupEntries() {
        return redis.hgetall(keys.dedup());
    }

    /** root signature -> newest root timestamp. */
    public Map<String, Long> roots() {
        Map<String, Long> out = new TreeMap<>();
        redis.zrangeWithScores(keys.roots(), 0, -1).forEach(sv -> out.put(sv.getValue(), (long) sv.getScore()));
        return out;
    }

    /** True when none of the queue's keys exists (nothing left behind). */
    public boolean isEmpty() {
        return redis.exists(keys.ready(), keys.delayed(), keys.claimed(), keys.abandoned(), keys.data(), keys.meta(),
                keys.dedup()) == 0;
    }
}
