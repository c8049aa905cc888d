package io.jobrunner.client;

import java.util.concurrent.CompletableFuture;

/**
 * Buckets of cluster-wide rate limits shared by several queues: a type's over all its domains
 * ({@link KeyLayout#typeRate}) or a domain's over all its types ({@link KeyLayout#domainRate}).
 * <ol>
 *   <li>{@link #take} takes up to N tokens before a claim ({@code rate-take.lua}); the claim then takes at most
 *       that many jobs;</li>
 *   <li>{@link #giveBack} returns those the claim did not use ({@code rate-return.lua}), so a queue found empty by
 *       a racing claim costs the limit nothing.</li>
 * </ol>
 * Each call touches one bucket (its own hash tag), so it is valid on Redis Cluster. The bucket of one queue
 * (a limit per type in each domain) is not here: it lives in the queue's hash tag and is taken inside the claim
 * ({@link JobConsumer#claim(QueueName, int, java.time.Duration, int, int, java.time.Duration, RateLimit)}).
 */
public final class RateBuckets {

    /** The answer to a take: tokens granted (0..wanted), and the ms until the next token after it (0: one is left). */
    public record Grant(int granted, long nextTokenInMillis) {
    }

    private final QueueScripts scripts;

    RateBuckets(QueueScripts scripts) {
        this.scripts = scripts;
    }

    public CompletableFuture<Grant> take(String key, RateLimit limit, int wanted) {
        if (wanted < 1 || wanted > 1000) {
            throw new IllegalArgumentException("tokens wanted must be 1 to 1000, was " + wanted);
        }
        return scripts.rateTake(key, limit.intervalArg(), limit.burst(), wanted)
                .thenApply(r -> new Grant(r.get(0).intValue(), r.get(1)));
    }

    /** Gives back {@code count} unused tokens (1 to 1000); true when the bucket was moved. */
    public CompletableFuture<Boolean> giveBack(String key, RateLimit limit, int count) {
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("tokens given back must be 1 to 1000, was " + count);
        }
        return scripts.rateReturn(key, limit.intervalArg(), count);
    }
}
