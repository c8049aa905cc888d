package io.jobrunner.client;

import io.lettuce.core.ScriptOutputType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One thin typed method per operators' script (inspect, delete, run-now, cancel) and per script of the live
 * processes and the history (presence, presence-list, history-count): builds KEYS and ARGV, maps the reply.
 * No policy here; {@link JobOperations}, {@link Presence} and {@link ThroughputHistory} hold it.
 */
final class OperatorScripts {

    record Inspected(String state, String json, long since, int attempts, String lastError) {
    }

    record PresenceReply(long serverTime, List<String> paused, List<String> cancelRequested) {
    }

    record LiveRecord(String id, long expiresAt, String json) {
    }

    private final ScriptRunner runner;
    private final KeyLayout keys;

    OperatorScripts(ScriptRunner runner, KeyLayout keys) {
        this.runner = runner;
        this.keys = keys;
    }

    CompletableFuture<Inspected> inspect(QueueName queue, String id) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.INSPECT, queue,
                        new String[]{k.delayed(), k.claimed(), k.abandoned(), k.data(), k.meta(), k.expired()}, id)
                .thenApply(r -> new Inspected(String.valueOf(r.get(0)), stringOrNull(r.get(1)), ScriptReplies.number(r, 2),
                        (int) ScriptReplies.number(r, 3), stringOrNull(r.get(4))));
    }

    /** @param onlyAbandoned delete only jobs still abandoned (a bulk purge), else waiting ones too */
    CompletableFuture<List<String>> delete(QueueName queue, List<String> ids, boolean onlyAbandoned) {
        QueueKeys k = keys.queue(queue);
        List<String> args = new ArrayList<>(1 + ids.size());
        args.add(onlyAbandoned ? "abandoned" : "waiting-or-abandoned");
        args.addAll(ids);
        return this.<List<Object>>multi(Script.DELETE, queue,
                        new String[]{k.ready(), k.delayed(), k.claimed(), k.abandoned(), k.data(), k.meta(), k.dedup(), k.expired(), k.prioritized()},
                        args.toArray(String[]::new))
                .thenApply(r -> ScriptReplies.stringsFrom(r, 0));
    }

    /** True (moved) and whether ready was empty before. */
    CompletableFuture<boolean[]> runNow(QueueName queue, String id) {
        QueueKeys k = keys.queue(queue);
        return this.<List<Object>>multi(Script.RUN_NOW, queue, new String[]{k.delayed(), k.ready(), k.meta(), k.prioritized()}, id)
                .thenApply(r -> new boolean[]{ScriptReplies.flag(r, 0), ScriptReplies.flag(r, 1)});
    }

    CompletableFuture<Boolean> cancel(QueueName queue, String id) {
        QueueKeys k = keys.queue(queue);
        return runner.<Long>run(Script.CANCEL, queue, ScriptOutputType.INTEGER, new String[]{k.claimed()},
                id, keys.wakeChannel(), ControlMessage.cancel(queue, id).encode()).thenApply(n -> n == 1L);
    }

    CompletableFuture<Long> historyCount(String type, long processed, long failed, int minutesKept) {
        return runner.run(Script.HISTORY_COUNT, null, ScriptOutputType.INTEGER, new String[]{keys.history(type)},
                Long.toString(processed), Long.toString(failed), Integer.toString(minutesKept));
    }

    CompletableFuture<PresenceReply> presence(String recordsKey, String id, long ttlMillis, String json, List<String> runningJobs) {
        List<String> args = new ArrayList<>(3 + runningJobs.size());
        args.add(id);
        args.add(Long.toString(ttlMillis));
        args.add(json);
        args.addAll(runningJobs);
        return this.<List<Object>>multi(Script.PRESENCE, null, new String[]{recordsKey, keys.paused(), keys.cancels()},
                        args.toArray(String[]::new))
                .thenApply(r -> new PresenceReply(ScriptReplies.number(r, 0), ScriptReplies.strings(r.get(1)),
                        ScriptReplies.strings(r.get(2))));
    }

    CompletableFuture<List<LiveRecord>> presenceList(String recordsKey, long forgetAfterMillis) {
        return this.<List<Object>>multi(Script.PRESENCE_LIST, null, new String[]{recordsKey}, Long.toString(forgetAfterMillis))
                .thenApply(r -> {
                    List<LiveRecord> out = new ArrayList<>();
                    for (int i = 1; i + 2 < r.size(); i += 3) {
                        out.add(new LiveRecord(String.valueOf(r.get(i)), ScriptReplies.number(r, i + 1), String.valueOf(r.get(i + 2))));
                    }
                    return out;
                });
    }

    private <T> CompletableFuture<T> multi(Script script, QueueName queue, String[] keyNames, String... args) {
        return runner.run(script, queue, ScriptOutputType.MULTI, keyNames, args);
    }

    private static String stringOrNull(Object value) {
        return value instanceof String s ? s : null;
    }
}
