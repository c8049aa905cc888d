package io.jobrunner.client;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.time.Duration;

/**
 * A lease in Redis: a key holding this holder's random token, with a time to live. Acquired with
 * {@code SET NX PX}, renewed and released only while the key still holds our token (compare-and-act
 * scripts), so a holder that lost its lease can never renew or delete another's. Used for the chron
 * leader and for per-repository locks.
 */
public final class Lease {

    private final RedisAsyncCommands<String, String> redis;
    private final QueueScripts scripts;
    private final String key;
    private final String token;

    Lease(RedisAsyncCommands<String, String> redis, QueueScripts scripts, String key, String token) {
        this.redis = redis;
        this.scripts = scripts;
        this.key = key;
        this.token = token;
    }

    public String key() {
        return key;
    }

    public String token() {
        return token;
    }

    /** True when this call took the lease (it was free). */
    public boolean tryAcquire(Duration ttl) {
        String reply = Futures.join(redis.set(key, token, SetArgs.Builder.nx().px(ttl.toMillis())).toCompletableFuture(), "acquire lease " + key);
        return "OK".equals(reply);
    }

    /** True when the lease is still ours and now lasts {@code ttl} more. */
    public boolean renew(Duration ttl) {
        return Futures.join(scripts.leaseRenew(key, token, ttl.toMillis()), "renew lease " + key);
    }

    /** Gives the lease up if it is still ours; true when it was. */
    public boolean release() {
        return Futures.join(scripts.leaseRelease(key, token), "release lease " + key);
    }
}
