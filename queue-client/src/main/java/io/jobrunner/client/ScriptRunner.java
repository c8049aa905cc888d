package io.jobrunner.client;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.concurrent.CompletableFuture;

/**
 * Runs the shipped scripts: EVALSHA by the script's SHA-1, and on NOSCRIPT (a restarted or flushed
 * Redis) EVAL once, which loads it again. Failures come back as {@link JobQueueException}.
 */
final class ScriptRunner {

    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisHealth health;

    ScriptRunner(RedisClusterAsyncCommands<String, String> redis, RedisHealth health) {
        this.redis = redis;
        this.health = health;
    }

    /** Runs a script whose reply is an array (nested arrays, integers, strings, nils). */
    <T> CompletableFuture<T> run(Script script, QueueName queue, ScriptOutputType type, String[] keys, String... args) {
        CompletableFuture<T> result = new CompletableFuture<>();
        redis.<T>evalsha(script.sha(), type, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (ErrorCode.unwrap(failure) instanceof RedisNoScriptException) {
                redis.<T>eval(script.body(), type, keys, args).whenComplete((retried, again) -> {
                    if (again == null) {
                        result.complete(retried);
                    } else {
                        result.completeExceptionally(ErrorCode.toException(again, script.fileName(), queue));
                    }
                });
            } else {
                result.completeExceptionally(ErrorCode.toException(failure, script.fileName(), queue));
            }
        });
        result.whenComplete((value, failure) -> health.record(failure));
        return result;
    }
}
