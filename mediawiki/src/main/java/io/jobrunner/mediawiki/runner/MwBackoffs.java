package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.MwQueue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Until-times that hide a queue, a wiki (domain) or a job type from picking, set from what batches said
 * ({@code none-possible}, {@code read-only}, MediaWiki's throttle {@code backoffs}, failures), plus each queue's
 * error backoff that doubles per failure and resets on its next success. Times are epoch milliseconds; thread-safe.
 */
final class MwBackoffs {

    private final Map<MwQueue, Long> queues = new ConcurrentHashMap<>();
    private final Map<String, Long> domains = new ConcurrentHashMap<>();
    private final Map<String, Long> types = new ConcurrentHashMap<>();
    private final Map<MwQueue, Long> errorDelays = new ConcurrentHashMap<>();
    private final Duration errorInitial;
    private final Duration errorMax;

    MwBackoffs(Duration errorInitial, Duration errorMax) {
        this.errorInitial = errorInitial;
        this.errorMax = errorMax;
    }

    boolean isBackedOff(MwQueue queue, long nowMs) {
        return after(queues.get(queue), nowMs) || after(domains.get(queue.domain()), nowMs) || after(types.get(queue.type()), nowMs);
    }

    private static boolean after(Long until, long nowMs) {
        return until != null && until > nowMs;
    }

    /** Backs the queue off; true when it was not backed off before (so a warning is said once per backoff). */
    boolean queue(MwQueue queue, long untilMs, long nowMs) {
        Long before = queues.put(queue, untilMs);
        return before == null || before <= nowMs;
    }

    void domain(String domain, long untilMs) {
        domains.merge(domain, untilMs, Math::max);
    }

    void type(String type, long untilMs) {
        types.merge(type, untilMs, Math::max);
    }

    /** One more failure of the queue: backs it off for its doubled delay; returns the delay. */
    Duration failed(MwQueue queue, long nowMs) {
        long delay = errorDelays.merge(queue, errorInitial.toMillis(), (old, initial) -> Math.min(old * 2, errorMax.toMillis()));
        queues.merge(queue, nowMs + delay, Math::max);
        return Duration.ofMillis(delay);
    }

    void succeeded(MwQueue queue) {
        errorDelays.remove(queue);
    }

    /** Backoffs still in force, for {@code /status} and the gauge; expired ones are dropped here. */
    Map<String, Object> active(long nowMs) {
        queues.values().removeIf(until -> until <= nowMs);
        domains.values().removeIf(until -> until <= nowMs);
        types.values().removeIf(until -> until <= nowMs);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queues", queues.entrySet().stream().map(e -> Map.of("queue", e.getKey().toString(), "until", e.getValue())).toList());
        out.put("wikis", domains.entrySet().stream().map(e -> Map.of("domain", e.getKey(), "until", e.getValue())).toList());
        out.put("types", types.entrySet().stream().map(e -> Map.of("type", e.getKey(), "until", e.getValue())).toList());
        return out;
    }

    int count(long nowMs) {
        Map<String, Object> a = active(nowMs);
        return a.values().stream().mapToInt(v -> ((List<?>) v).size()).sum();
    }
}
