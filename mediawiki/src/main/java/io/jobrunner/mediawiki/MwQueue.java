package io.jobrunner.mediawiki;

/**
 * One MediaWiki job queue: a job type in a DB domain, with the queue id it was read as (the member of
 * {@code s-queuesWithJobs}, echoed byte for byte, never re-encoded; null when the queue came from the ready map).
 * Named {@code domain/type} in logs; the name is never parsed back (a domain may contain '/').
 */
public record MwQueue(String type, String domain, String queueId) {

    public MwQueue {
        if (type == null || type.isEmpty() || domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("a MediaWiki queue needs a type and a domain");
        }
    }

    public static MwQueue of(String type, String domain) {
        return new MwQueue(type, domain, null);
    }

    /** The prefix of the queue's keys as MediaWiki computes it. */
    public String keyPrefix() {
        return MwNames.keyPrefix(domain, type);
    }

    /** One of the queue's keys, e.g. {@code l-unclaimed}. */
    public String key(String suffix) {
        return keyPrefix() + suffix;
    }

    public String wikiId() {
        return MwNames.wikiId(domain);
    }

    /** Only type and domain identify a queue. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MwQueue other && type.equals(other.type) && domain.equals(other.domain);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + domain.hashCode();
    }

    @Override
    public String toString() {
        return domain + "/" + type;
    }
}
