package io.jobrunner.client;

/**
 * Which abandoned jobs a bulk retry or purge takes; null fields match everything.
 *
 * @param domain         only this domain
 * @param type           only this type
 * @param errorContains  only jobs whose last error contains this text (case-insensitive)
 * @param abandonedBefore only jobs abandoned before this (epoch ms)
 * @param abandonedAfter only jobs abandoned at or after this (epoch ms)
 */
public record AbandonedFilter(String domain, String type, String errorContains, Long abandonedBefore, Long abandonedAfter) {

    public static AbandonedFilter all() {
        return new AbandonedFilter(null, null, null, null, null);
    }

    boolean matchesQueue(QueueName q) {
        return (domain == null || domain.equals(q.domain())) && (type == null || type.equals(q.type()));
    }

    boolean matches(double abandonedAt, String lastError) {
        return (abandonedBefore == null || abandonedAt < abandonedBefore)
                && (abandonedAfter == null || abandonedAt >= abandonedAfter)
                && (errorContains == null || errorContains.isEmpty()
                || (lastError != null && lastError.toLowerCase(java.util.Locale.ROOT).contains(errorContains.toLowerCase(java.util.Locale.ROOT))));
    }
}
