package io.jobrunner.mediawiki;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * MediaWiki mode's Lua scripts (shipped under {@code lua/mediawiki/}), each run with EVALSHA and, on NOSCRIPT
 * (a restarted or flushed Redis), once more with EVAL, which loads it again.
 */
public enum MwScript {
    MAINTAIN("mw-maintain"),
    PRUNE_ABANDONED("mw-prune-abandoned");

    private final String fileName;
    private final String body;
    private final String sha;

    MwScript(String name) {
        this.fileName = name + ".lua";
        try (InputStream in = MwScript.class.getClassLoader().getResourceAsStream("lua/mediawiki/" + fileName)) {
            if (in == null) {
                throw new IllegalStateException("lua/mediawiki/" + fileName + " is missing from the classpath");
            }
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot load lua/mediawiki/" + fileName, e);
        }
    }

    public String fileName() {
        return fileName;
    }

    /** Runs the script; the reply is its array of integers. */
    public CompletableFuture<List<Long>> run(RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
        CompletableFuture<List<Long>> result = new CompletableFuture<>();
        redis.<List<Long>>evalsha(sha, ScriptOutputType.MULTI, keys, args).whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (unwrap(failure) instanceof RedisNoScriptException) {
                redis.<List<Long>>eval(body, ScriptOutputType.MULTI, keys, args).whenComplete((retried, again) -> {
                    if (again == null) {
                        result.complete(retried);
                    } else {
                        result.completeExceptionally(unwrap(again));
                    }
                });
            } else {
                result.completeExceptionally(unwrap(failure));
            }
        });
        return result;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
