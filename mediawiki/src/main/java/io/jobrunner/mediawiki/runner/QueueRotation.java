package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.MwQueue;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Fair picking among one class's ready queues: round robin over wikis (domains), then over the types of the wiki
 * picked, so a wiki with many busy types gets no more turns than a wiki with one. Thread-safe (one lock).
 */
final class QueueRotation {

    private String lastDomain;
    private final Map<String, String> lastType = new HashMap<>();

    /** The next queue of {@code candidates} after the last one picked, or null when there is none. */
    synchronized MwQueue next(Collection<MwQueue> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        TreeMap<String, TreeSet<String>> byDomain = new TreeMap<>();
        candidates.forEach(q -> byDomain.computeIfAbsent(q.domain(), d -> new TreeSet<>()).add(q.type()));
        String domain = lastDomain == null ? null : byDomain.higherKey(lastDomain);
        if (domain == null) {
            domain = byDomain.firstKey();
        }
        TreeSet<String> types = byDomain.get(domain);
        String previous = lastType.get(domain);
        String type = previous == null ? null : types.higher(previous);
        if (type == null) {
            type = types.first();
        }
        lastDomain = domain;
        lastType.put(domain, type);
        return MwQueue.of(type, domain);
    }
}
