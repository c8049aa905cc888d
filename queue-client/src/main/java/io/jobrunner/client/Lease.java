package io.jobrunner.client;


import java.time.Duration;

/**
 * A lease in Redis: a key holding this holder's random token, with a time to live (Redis's clock). Acquired,
 * renewed and released only through compare-and-act scripts: acquire sets it only when free or already ours (so
 * a re-sent acquire is not misread as lost), renew and release act only while the key still holds our token, so
 * a holder that lost its lease can never renew or delete another's. All three work while Redis refuses writes
 * for memory. Used for the chron leader and for per-repository locks.
 */
public final class Lease {

    private final QueueScripts scripts;
    private final String key;
    private final String token;

    Lease(QueueScripts scripts, String key, String token) {
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
        return Futures.join(scripts.leaseAcquire(key, token, ttl.toMillis()), "acquire lease " + key);
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
