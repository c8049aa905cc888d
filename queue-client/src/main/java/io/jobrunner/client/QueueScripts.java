package io.jobrunner.client;

import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One thin typed method per script: builds KEYS and ARGV, maps the reply to a record. No policy here;
 * the registry follow-ups (ready registry, due index, wake-up) are the callers' ({@link JobProducer},
 * {@link JobConsumer}, {@link QueueMaintenance}).
 */
final class QueueScripts {

    record PushReply(List<String> pushed, List<String> duplicates, boolean readyWasEmpty, long earliestRelease) {
    }

    record RawClaim(String id, String json, int attempts) {
    }

    record ClaimReply(long remaining, int superseded, int missing, long deadline, int corrupt, int expired, long rateWait,
                      List<RawClaim> jobs) {
    }

    record ReleaseReply(boolean released, boolean readyWasEmpty, long dueAt) {
    }

    record FireReply(boolean handled, boolean pushed, boolean readyWasEmpty) {
    }

    /** What due-read.lua returned: the server's time and the raw names of the queues due by it. */
    record DueReply(long now, List<String> names) {
    }

    /**
     * One job's arguments to push.lua: the delay is a duration (ms, 0 = ready now), the server adds its time;
     * {@code expireAt} is epoch ms (0 = never).
     */
    record PushItem(String id, String storedJson, long delayMillis, String dedupKey, String rootSignature, long rootTimestamp,
                    long expireAt, Uniqueness unique, int priority) {

        PushItem(String id, String storedJson, long delayMillis, String dedupKey, String rootSignature, long rootTimestamp,
                 long expireAt) {
            this(id, storedJson, delayMillis, dedupKey, rootSignature, rootTimestamp, expireAt, null, 0);
        }
    }

    /**
     * What one claim call asks for; times are durations, the script adds the server's time; rate may be null;
     * registryStamp is the ready registry's stamp the caller read (null: none, or a hint's).
     */
    record ClaimRequest(int max, long ttlMillis, String token, int maxAttempts, int startedNow, long markerTtlMillis,
                        long expireAfterMillis, int expiredKept, RateLimit rate, String registryStamp) {

        ClaimRequest(int max, long ttlMillis, String token, int maxAttempts, int startedNow, long markerTtlMillis,
                     long expireAfterMillis, int expiredKept) {
            this(max, ttlMillis, token, maxAttempts, startedNow, markerTtlMillis, expireAfterMillis, expiredKept, null, null);
        }
    }

    private final ScriptRunner runner;
    private final KeyLayout keys;
    private final boolean oneNode;

    /**
     * @param oneNode true on a single Redis node (standalone or Sentinel), where the registry keys and a queue's
     *                keys are on the same server, so the push script writes the registry itself; false on a cluster
     */
    QueueScripts(ScriptRunner runner, KeyLayout keys, boolean oneNode) {
        this.runner = runner;
        this.keys = keys;
        this.oneNode = oneNode;
    }

    KeyLayout keys() {
        return keys;
    }

    /**
     * True on a single node, where {@link #push} and {@link #claim} keep the registry themselves (known set, ready
     * registry, due index): callers send no follow-up.
     */
    boolean keepsRegistry() {
        return oneNode;
    }

    CompletableFuture<PushReply> push(QueueName queue, List<PushItem> items) {
        QueueKeys k = keys.queue(queue);
        List<String> args = new ArrayList<>(3 + items.size() * 9);
        args.add(Integer.toString(items.size()));
        args.add(keys.wakeChannel());
        String stamp = oneNode ? JobIds.next() : "";
        // A hint (no stamp) on a single node too: runners then never empty the registry under a push's stamp, so a
        // queue a push made ready stays listed until a runner's read of the registry finds it empty.
        args.add(WakeUp.hint(queue).encode());
        args.add(oneNode ? queue.toString() : "");
        args.add(stamp);
        for (PushItem item : items) {
            args.add(item.id());
            args.add(item.storedJson());
            args.add(Long.toString(item.delayMillis()));
            args.add(item.dedupKey() == null ? "" : item.dedupKey());
            args.add(item.rootSignature() == null ? "" : item.rootSignature());
            args.add(Long.toString(item.rootTimestamp()));
            args.add(Long.toString(item.expireAt()));
            args.add(item.unique() == null ? "" : item.unique().toString());
            args.add(Integer.toString(item.priority()));
        }
        String[] keyNames = {k.ready(), k.delayed(), k.data(), k.meta(), k.dedup(), k.roots(), k.rootsWritten(), k.unique(),
                k.prioritized()};
        if (oneNode) {
            keyNames = Arrays.copyOf(keyNames, keyNames.length + 3);
            keyNames[9] = keys.queues();
            keyNames[10] = keys.readyRegistry();
            keyNames[11] = keys.due();
        }
        return this.<List<Object>>multi(Script.PUSH, queue, keyNames, args)
                .thenApply(r -> new PushReply(ScriptReplies.strings(r.get(0)), ScriptReplies.strings(r.get(1)),
                        ScriptReplies.flag(r, 2), ScriptReplies.number(r, 3)));
    }

    CompletableFuture<ClaimReply> claim(QueueName queue, ClaimRequest request) {
        QueueKeys k = keys.queue(queue);
        List<String> keyNames = new ArrayList<>(List.of(k.ready(), k.claimed(), k.data(), k.meta(), k.dedup(), k.roots(),
                k.abandoned(), keys.claimMarker(queue, request.token()), k.expired(), k.prioritized(), keys.queueRate(queue)));
        RateLimit rate = request.rate();
        List<String> args = new ArrayList<>(List.of(Integer.toString(request.max()), Long.toString(request.ttlMillis()),
                request.token(), Integer.toString(request.maxAttempts()), Integer.toString(request.startedNow()),
                Long.toString(request.markerTtlMillis()), Long.toString(request.expireAfterMillis()),
                Integer.toString(request.expiredKept()), rate == null ? "" : rate.intervalArg(),
                rate == null ? "" : Integer.toString(rate.burst())));
        if (oneNode) {
            keyNames.add(keys.readyRegistry());
            keyNames.add(keys.due());
            args.add(queue.toString());
            args.add(request.registryStamp() == null ? "" : request.registryStamp());
        }
        return this.<List<Object>>multi(Script.CLAIM, queue, keyNames.toArray(String[]::new), args)
                .thenApply(r -> {
                    List<RawClaim> jobs = new ArrayList<>((r.size() - 7) / 3);
                    for (int i = 7; i + 2 < r.size(); i += 3) {
                        jobs.add(new RawClaim(String.valueOf(r.get(i)), (String) r.get(i + 1), (int) ScriptReplies.number(r, i + 2)));
                    }
                    return new ClaimReply(ScriptReplies.number(r, 0), (int) ScriptReplies.number(r, 1),
                            (int) ScriptReplies.number(r, 2), ScriptReplies.number(r, 3), (int) ScriptReplies.number(r, 4),
                            (int) ScriptReplies.number(r, 5), ScriptReplies.number(r, 6), jobs);
                });
    }

    CompletableFuture<AckResult> ack(QueueName queue, List<ClaimRef> claims) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.ACK, queue, new String[]{k.claimed(), k.data(), k.meta(), k.dedup()}, pairs(claims))
                .thenApply(r -> new AckResult((int) ScriptReplies.number(r, 0), ScriptReplies.stringsFrom(r, 1)));
    }

    CompletableFuture<ReleaseReply> release(QueueName queue, ClaimRef claim, String outcome, long delayMillis, String error) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.RELEASE, queue,
                        new String[]{k.claimed(), k.ready(), k.delayed(), k.abandoned(), k.meta(), k.dedup(), k.prioritized()},
                        List.of(claim.id(), claim.token(), outcome, Long.toString(delayMillis), error))
                .thenApply(r -> new ReleaseReply(ScriptReplies.flag(r, 0), ScriptReplies.flag(r, 1), ScriptReplies.number(r, 2)));
    }

    CompletableFuture<List<String>> extend(QueueName queue, long ttlMillis, List<ClaimRef> claims) {
        QueueKeys k = keys.queue(queue);
        List<String> args = new ArrayList<>(1 + claims.size() * 2);
        args.add(Long.toString(ttlMillis));
        args.addAll(pairs(claims));
        return this.<List<Object>>multi(Script.EXTEND, queue, new String[]{k.claimed(), k.meta()}, args)
                .thenApply(r -> ScriptReplies.stringsFrom(r, 0));
    }

    CompletableFuture<List<String>> start(QueueName queue, List<ClaimRef> claims) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.START, queue, new String[]{k.meta(), k.dedup()}, pairs(claims))
                .thenApply(r -> ScriptReplies.stringsFrom(r, 0));
    }

    CompletableFuture<RecycleResult> recycle(QueueName queue, int limit, int maxAttempts) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.RECYCLE, queue,
                        new String[]{k.claimed(), k.ready(), k.abandoned(), k.meta(), k.delayed(), k.dedup(), k.prioritized()},
                        List.of(Integer.toString(limit), Integer.toString(maxAttempts)))
                .thenApply(r -> new RecycleResult((int) ScriptReplies.number(r, 0), (int) ScriptReplies.number(r, 1),
                        ScriptReplies.flag(r, 2), ScriptReplies.flag(r, 3), ScriptReplies.number(r, 4),
                        (int) ScriptReplies.number(r, 5)));
    }

    CompletableFuture<PromoteResult> promote(QueueName queue, int limit) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.PROMOTE, queue, new String[]{k.delayed(), k.ready(), k.claimed(), k.meta(), k.prioritized()},
                        List.of(Integer.toString(limit)))
                .thenApply(r -> new PromoteResult((int) ScriptReplies.number(r, 0), ScriptReplies.flag(r, 1),
                        ScriptReplies.flag(r, 2), ScriptReplies.number(r, 3)));
    }

    /** Retentions in ms; -1 for the jobs: all of them (purge), for the roots: none. */
    CompletableFuture<PruneResult> prune(QueueName queue, long jobRetentionMillis, long rootRetentionMillis, int limit) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.PRUNE, queue,
                        new String[]{k.abandoned(), k.data(), k.meta(), k.roots(), k.rootsWritten(), k.dedup(), k.unique()},
                        List.of(Long.toString(jobRetentionMillis), Long.toString(rootRetentionMillis), Integer.toString(limit)))
                .thenApply(r -> new PruneResult((int) ScriptReplies.number(r, 0), (int) ScriptReplies.number(r, 1),
                        ScriptReplies.flag(r, 2)));
    }

    CompletableFuture<RetryAbandonedResult> retryAbandoned(QueueName queue, int limit, List<String> ids) {
        QueueKeys k = keys.queue(queue);
        List<String> args = new ArrayList<>(1 + ids.size());
        args.add(Integer.toString(limit));
        args.addAll(ids);
        return this.<List<Object>>multi(Script.RETRY_ABANDONED, queue,
                        new String[]{k.abandoned(), k.ready(), k.meta(), k.dedup(), k.prioritized()}, args)
                .thenApply(r -> new RetryAbandonedResult((int) ScriptReplies.number(r, 0), ScriptReplies.flag(r, 1),
                        ScriptReplies.flag(r, 2)));
    }

    CompletableFuture<Boolean> registryRemove(QueueName queue, String stamp) {
        return runner.<Long>run(Script.REGISTRY_REMOVE, queue, ScriptOutputType.INTEGER,
                new String[]{keys.readyRegistry()}, queue.toString(), stamp).thenApply(n -> n == 1L);
    }

    CompletableFuture<Void> readyMark(QueueName queue, String stamp) {
        return runner.<Long>run(Script.READY_MARK, queue, ScriptOutputType.INTEGER,
                new String[]{keys.readyRegistry()}, queue.toString(), stamp).thenApply(n -> null);
    }

    CompletableFuture<Boolean> dueLower(QueueName queue, long atMillis) {
        return runner.<Long>run(Script.DUE_LOWER, queue, ScriptOutputType.INTEGER,
                new String[]{keys.due()}, queue.toString(), Long.toString(atMillis)).thenApply(n -> n == 1L);
    }

    CompletableFuture<DueReply> dueRead(int limit) {
        return this.<List<Object>>multi(Script.DUE_READ, null, new String[]{keys.due()}, List.of(Integer.toString(limit)))
                .thenApply(r -> new DueReply(ScriptReplies.number(r, 0), ScriptReplies.stringsFrom(r, 1)));
    }

    CompletableFuture<Boolean> leaseAcquire(String key, String token, long ttlMillis) {
        return runner.<Long>run(Script.LEASE_ACQUIRE, null, ScriptOutputType.INTEGER, new String[]{key}, token,
                Long.toString(ttlMillis)).thenApply(n -> n == 1L);
    }

    CompletableFuture<Boolean> leaseRenew(String key, String token, long ttlMillis) {
        return runner.<Long>run(Script.LEASE_RENEW, null, ScriptOutputType.INTEGER, new String[]{key}, token,
                Long.toString(ttlMillis)).thenApply(n -> n == 1L);
    }

    CompletableFuture<Boolean> leaseRelease(String key, String token) {
        return runner.<Long>run(Script.LEASE_RELEASE, null, ScriptOutputType.INTEGER, new String[]{key}, token)
                .thenApply(n -> n == 1L);
    }

    /** One tick of a schedule: the job (id, stored JSON, dedup key), or a null id to skip the tick. */
    CompletableFuture<FireReply> scheduleFire(QueueName queue, String schedule, long tick, String id, String storedJson, String dedupKey) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.SCHEDULE_FIRE, queue,
                        new String[]{keys.scheduleFired(queue), k.ready(), k.data(), k.meta(), k.dedup()},
                        List.of(schedule, Long.toString(tick), id == null ? "" : id, storedJson == null ? "" : storedJson,
                                dedupKey == null ? "" : dedupKey, keys.wakeChannel(), WakeUp.hint(queue).encode()))
                .thenApply(r -> new FireReply(ScriptReplies.flag(r, 0), ScriptReplies.flag(r, 1), ScriptReplies.flag(r, 2)));
    }

    /** One permit of a cap of {@code cap} on {@code key}: {granted, ms until the earliest permit expires}. */
    CompletableFuture<List<Long>> permitTake(String key, int cap, String member, long ttlMillis) {
        return runner.<List<Object>>run(Script.PERMIT_TAKE, null, ScriptOutputType.MULTI, new String[]{key},
                        Integer.toString(cap), member, Long.toString(ttlMillis))
                .thenApply(r -> List.of(ScriptReplies.number(r, 0), ScriptReplies.number(r, 1)));
    }

    /** Extends the members' permits on {@code key}; returns those no longer held. */
    CompletableFuture<List<String>> permitExtend(String key, long ttlMillis, List<String> members) {
        List<String> args = new ArrayList<>(1 + members.size());
        args.add(Long.toString(ttlMillis));
        args.addAll(members);
        return runner.<List<Object>>run(Script.PERMIT_EXTEND, null, ScriptOutputType.MULTI, new String[]{key}, args.toArray(String[]::new))
                .thenApply(r -> ScriptReplies.stringsFrom(r, 0));
    }

    /** Up to {@code wanted} tokens of the bucket on {@code key}: {granted, ms until the next token}. */
    CompletableFuture<List<Long>> rateTake(String key, String intervalMicros, int burst, int wanted) {
        return runner.<List<Object>>run(Script.RATE_TAKE, null, ScriptOutputType.MULTI, new String[]{key},
                        intervalMicros, Integer.toString(burst), Integer.toString(wanted))
                .thenApply(r -> List.of(ScriptReplies.number(r, 0), ScriptReplies.number(r, 1)));
    }

    /** Gives {@code count} tokens back to the bucket on {@code key}; true when it was moved. */
    CompletableFuture<Boolean> rateReturn(String key, String intervalMicros, int count) {
        return runner.<Long>run(Script.RATE_RETURN, null, ScriptOutputType.INTEGER, new String[]{key},
                intervalMicros, Integer.toString(count)).thenApply(n -> n == 1L);
    }

    private static List<String> pairs(List<ClaimRef> claims) {
        List<String> args = new ArrayList<>(claims.size() * 2);
        for (ClaimRef c : claims) {
            args.add(c.id());
            args.add(c.token());
        }
        return args;
    }

    private <T> CompletableFuture<T> multi(Script script, QueueName queue, String[] keyNames, List<String> args) {
        return runner.run(script, queue, ScriptOutputType.MULTI, keyNames, args.toArray(String[]::new));
    }
}
