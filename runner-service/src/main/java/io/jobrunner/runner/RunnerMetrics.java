package io.jobrunner.runner;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The runner's metrics, in the {@link MetricRegistry} it was given (never a static one):
 * <ul>
 *   <li>per job type, meters {@code jobs.<type>.claimed}, {@code succeeded}, {@code retried} (released for
 *       another attempt), {@code failed} (runs that did not succeed, timeouts included), {@code abandoned}
 *       (permanent failures, out of attempts, unreadable jobs, no executor), {@code superseded} (dropped at
 *       claim time for a newer root job), {@code expired} (dropped at claim time, not started before their expiry), {@code requeued} (given back unrun or at shutdown, attempt not counted);
 *       timers {@code jobs.<type>.run-time} and {@code jobs.<type>.pickup-delay} (first attempts: start minus
 *       max(enqueuedAt, releaseAt));</li>
 *   <li>per group, gauges {@code groups.<name>.high-share} (measured; NaN while idle all window),
 *       {@code groups.<name>.utilisation} (busy over available slot time in the share window) and
 *       {@code groups.<name>.slots-busy};</li>
 *   <li>{@code runner.redis-errors}, {@code runner.claims-lost}, {@code runner.slots-replaced} counters and
 *       the {@code runner.buffered} and {@code runner.running} gauges.</li>
 * </ul>
 * Also keeps each type's mean run time (an exponentially weighted average) for sizing claims.
 */
final class RunnerMetrics {

    /** The per-type instruments. */
    record TypeMetrics(Meter claimed, Meter succeeded, Meter retried, Meter failed, Meter abandoned, Meter superseded,
                       Meter expired, Meter requeued, Timer runTime, Timer pickupDelay) {
    }

    private final MetricRegistry registry;
    private final ConcurrentHashMap<String, TypeMetrics> byType = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, double[]> meanRunNanos = new ConcurrentHashMap<>();
    private final List<String> gauges = new ArrayList<>();
    final Counter redisErrors;
    final Counter claimsLost;
    final Counter claimsFenced;
    final Counter outcomeRetries;
    final Counter slotsReplaced;

    RunnerMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.redisErrors = registry.counter("runner.redis-errors");
        this.claimsLost = registry.counter("runner.claims-lost");
        this.claimsFenced = registry.counter("runner.claims-fenced");
        this.outcomeRetries = registry.counter("runner.outcome-retries");
        this.slotsReplaced = registry.counter("runner.slots-replaced");
    }

    /** The gauges of one group: measured high-class share (NaN while idle), utilisation, busy slots. */
    void groupGauges(SlotGroup g) {
        String p = MetricRegistry.name("groups", g.name());
        gauge(p + ".high-share", () -> {
            Double share = g.highShare();
            return share == null ? Double.NaN : share;
        });
        gauge(p + ".utilisation", g::utilisation);
        gauge(p + ".slots-busy", g::busy);
    }

    MetricRegistry registry() {
        return registry;
    }

    TypeMetrics type(String type) {
        return byType.computeIfAbsent(type, t -> {
            String p = MetricRegistry.name("jobs", t);
            return new TypeMetrics(registry.meter(p + ".claimed"), registry.meter(p + ".succeeded"), registry.meter(p + ".retried"),
                    registry.meter(p + ".failed"), registry.meter(p + ".abandoned"), registry.meter(p + ".superseded"),
                    registry.meter(p + ".expired"), registry.meter(p + ".requeued"), registry.timer(p + ".run-time"), registry.timer(p + ".pickup-delay"));
        });
    }

    void ranFor(String type, long nanos) {
        type(type).runTime().update(nanos, TimeUnit.NANOSECONDS);
        double[] mean = meanRunNanos.computeIfAbsent(type, t -> new double[]{-1});
        synchronized (mean) {
            mean[0] = mean[0] < 0 ? nanos : mean[0] * 0.8 + nanos * 0.2;
        }
    }

    /** The type's recent mean run time in nanoseconds, or -1 when no run of it finished yet. */
    double meanRunNanos(String type) {
        double[] mean = meanRunNanos.get(type);
        if (mean == null) {
            return -1;
        }
        synchronized (mean) {
            return mean[0];
        }
    }

    /** Registers a gauge this runner removes again when it stops. */
    synchronized <T> void gauge(String name, Supplier<T> value) {
        registry.remove(name);
        registry.register(name, (Gauge<T>) value::get);
        gauges.add(name);
    }

    synchronized void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }
}
