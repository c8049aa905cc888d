package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.MwNames;
import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.mediawiki.MwReadyMap;
import io.jobrunner.mediawiki.MwServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runner's view of which MediaWiki queues have ready jobs: the chron's ready map, read at most every
 * {@code refresh-interval} from the first reachable aggregator, minus the queues a batch found drained since.
 * <ol>
 *   <li>each field but {@code _epoch} decodes to a queue (a field that does not is skipped and counted); its value
 *       is the queue's stamp (UNIX s, the chron pass that saw it ready);</li>
 *   <li>a queue a batch found drained is left out until the map shows it with a newer stamp than the drain,
 *       i.e. until the chron looked again and saw ready jobs: a bounded, refreshed cache, not a second truth;</li>
 *   <li>a read that fails keeps the last map (empty at start) and counts a Redis error;</li>
 *   <li>the map is stale when its {@code _epoch} is older than {@code stale-after}: the chron is not running.</li>
 * </ol>
 */
final class MwReadyView {

    private static final Logger log = LoggerFactory.getLogger(MwReadyView.class);

    private final List<MwServer> aggregators;
    private final Duration refreshInterval;
    private final Duration staleAfter;
    private final Clock clock;
    private final MwRunnerMetrics metrics;
    private final Map<MwQueue, Long> drainedAt = new ConcurrentHashMap<>();
    private final Set<String> warnedFields = new HashSet<>();
    private volatile Map<MwQueue, Long> stamps = Map.of();
    private volatile long epoch;
    private volatile boolean lastReadFailed;
    private long lastReadNanos;
    private long lastStaleWarnNanos;

    MwReadyView(List<MwServer> aggregators, Duration refreshInterval, Duration staleAfter, Clock clock, MwRunnerMetrics metrics) {
        this.aggregators = aggregators;
        this.refreshInterval = refreshInterval;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.metrics = metrics;
        metrics.gauge(MwRunnerMetrics.READY_MAP_AGE, () -> epoch == 0 ? -1 : nowSeconds() - epoch);
        metrics.gauge(MwRunnerMetrics.READY_MAP_QUEUES, () -> stamps.size());
    }

    /** Re-reads the map when the last read is older than the refresh interval. */
    synchronized void refreshIfDue() {
        long now = System.nanoTime();
        if (lastReadNanos != 0 && now - lastReadNanos < refreshInterval.toNanos()) {
            return;
        }
        lastReadNanos = now;
        Map<String, String> raw = null;
        RuntimeException failure = null;
        for (MwServer server : aggregators) {
            if (server.isDown()) {
                continue;
            }
            try {
                raw = MwReadyMap.read(server.sync());
                break;
            } catch (RuntimeException e) {
                server.failed();
                failure = e;
            }
        }
        if (raw == null) {
            lastReadFailed = true;
            metrics.redisErrors().mark();
            log.warn("runner: cannot read the ready map ({}); keeping the last one", failure == null ? "every aggregator is down" : failure.getMessage());
            return;
        }
        lastReadFailed = false;
        Map<MwQueue, Long> read = new HashMap<>();
        raw.forEach((field, value) -> {
            if (field.equals(MwReadyMap.EPOCH)) {
                epoch = parse(value);
                return;
            }
            try {
                String[] typeDomain = MwNames.parseReadyField(field);
                read.put(MwQueue.of(typeDomain[0], typeDomain[1]), parse(value));
            } catch (IllegalArgumentException e) {
                metrics.badFields().mark();
                if (warnedFields.size() < 1000 && warnedFields.add(field)) {
                    log.warn("runner: skipping ready-map field: {}", e.getMessage());
                }
            }
        });
        stamps = Map.copyOf(read);
        drainedAt.entrySet().removeIf(e -> {
            Long stamp = read.get(e.getKey());
            return stamp == null || stamp > e.getValue();
        });
        if (isStale() && now - lastStaleWarnNanos > Duration.ofMinutes(1).toNanos()) {
            lastStaleWarnNanos = now;
            log.warn("runner: {}", staleness());
        }
    }

    /** The queues with ready jobs as far as this runner knows. */
    Set<MwQueue> ready() {
        Set<MwQueue> out = new HashSet<>(stamps.keySet());
        out.removeAll(drainedAt.keySet());
        return out;
    }

    /** Whether the queue is in the map and not found drained since. */
    boolean isReady(MwQueue queue) {
        return stamps.containsKey(queue) && !drainedAt.containsKey(queue);
    }

    /** A batch (or the readiness check) found the queue empty: leave it out until the chron sees it ready again. */
    void drained(MwQueue queue) {
        drainedAt.put(queue, nowSeconds());
    }

    boolean isStale() {
        return epoch == 0 ? lastReadNanos != 0 : nowSeconds() - epoch > staleAfter.toSeconds();
    }

    boolean healthy() {
        return !lastReadFailed && !isStale();
    }

    String staleness() {
        return epoch == 0 ? "the ready map has no _epoch: is the chron running?"
                : "ready map is " + (nowSeconds() - epoch) + " s old: is the chron running?";
    }

    long epoch() {
        return epoch;
    }

    int size() {
        return stamps.size();
    }

    private long nowSeconds() {
        return clock.millis() / 1000;
    }

    private static long parse(String value) {
        try {
            return (long) Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
