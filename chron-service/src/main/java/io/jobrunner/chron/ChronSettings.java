package io.jobrunner.chron;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.service.Durations;
import io.jobrunner.service.HttpEndpoint;

import java.time.Duration;

/**
 * {@code jobrunner.chron}, validated at start and frozen: every bad value fails with its full HOCON path and
 * what is allowed (see {@code reference.conf} for the meaning of each key).
 *
 * @param interval           longest wait between two ticks of the due index
 * @param dueBatch           most due queues read from the due index at once
 * @param repairInterval     how often the registries are checked against the queues
 * @param pageSize           queues per SSCAN/HSCAN page in repair and pruning
 * @param pruneInterval      how often old abandoned jobs and root entries are deleted
 * @param abandonedRetention how long an abandoned job is kept
 * @param rootRetention      how long a root-job entry is kept
 * @param leaseTtl           the leader lease's time to live
 * @param gauges             per-queue gauge sampling
 * @param scheduleTiming     how recurring schedules treat late and missed ticks
 * @param http               the HTTP endpoint
 */
public record ChronSettings(Duration interval, int dueBatch, Duration repairInterval, int pageSize,
                            Duration pruneInterval, Duration abandonedRetention, Duration rootRetention,
                            Duration leaseTtl, Gauges gauges, ScheduleTiming scheduleTiming, HttpEndpoint.Settings http) {

    public static final String PATH = "jobrunner.chron";

    /** Shortest lease: renewals run every third of it, and Redis round trips must fit well inside. */
    public static final Duration MIN_LEASE_TTL = Duration.ofMillis(300);

    /** {@code jobrunner.chron.gauges}: sample at most {@code maxQueues} queues every {@code interval}. */
    public record Gauges(Duration interval, int maxQueues) {
    }

    /**
     * {@code jobrunner.chron.schedules}: a tick within {@code grace} of now is on time; with {@code missed = all} at
     * most {@code maxCatchUp} missed ticks fire.
     */
    public record ScheduleTiming(Duration grace, int maxCatchUp) {
    }

    /** Reads and checks {@code jobrunner.chron} from the root config (paths in errors are full paths). */
    public static ChronSettings from(Config root) {
        Duration leaseTtl = Durations.positive(root, PATH + ".lease-ttl");
        if (leaseTtl.compareTo(MIN_LEASE_TTL) < 0) {
            throw bad(root, PATH + ".lease-ttl", "must be at least " + MIN_LEASE_TTL.toMillis()
                    + "ms (renewals run every third of it), was " + leaseTtl);
        }
        return new ChronSettings(
                Durations.positive(root, PATH + ".interval"),
                intIn(root, PATH + ".due-batch", 1, 10_000),
                Durations.positive(root, PATH + ".repair-interval"),
                intIn(root, PATH + ".page-size", 1, 10_000),
                Durations.positive(root, PATH + ".prune-interval"),
                Durations.positive(root, PATH + ".abandoned-retention"),
                Durations.positive(root, PATH + ".root-retention"),
                leaseTtl,
                new Gauges(Durations.positive(root, PATH + ".gauges.interval"), intIn(root, PATH + ".gauges.max-queues", 1, 100_000)),
                new ScheduleTiming(Durations.positive(root, PATH + ".schedules.grace"), intIn(root, PATH + ".schedules.max-catch-up", 1, 10_000)),
                HttpEndpoint.Settings.from(root, PATH + ".http"));
    }

    /** How often the leader renews its lease: a third of its time to live. */
    public Duration renewEvery() {
        return leaseTtl.dividedBy(3);
    }

    /**
     * How long after a renewal was sent the leader keeps working without a newer one: four fifths of the
     * lease, so it stops a fifth of the lease before any standby can take the expired key.
     */
    public Duration leaderValidity() {
        return leaseTtl.multipliedBy(4).dividedBy(5);
    }

    private static int intIn(Config root, String path, int min, int max) {
        int n = root.getInt(path);
        if (n < min || n > max) {
            throw bad(root, path, "must be " + min + " to " + max + ", was " + n);
        }
        return n;
    }

    private static ConfigException bad(Config root, String path, String message) {
        return new ConfigException.BadValue(root.getValue(path).origin(), path, message);
    }
}
