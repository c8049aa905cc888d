package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.service.Durations;
import io.jobrunner.service.HttpEndpoint;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code jobrunner.runner}, mapped and validated at start (every key is documented in runner-service's
 * {@code reference.conf}). Every error is a {@link ConfigException} naming the full HOCON path and what is
 * allowed; nothing is silently corrected.
 *
 * @param id              this runner's name in logs and {@code /status} (default {@code <hostname>-<pid>})
 * @param groups          the enabled groups (slots &gt; 0), at least one
 * @param shareWindow     the sliding window over which each group measures its time share
 * @param claimBatch      most jobs one claim call takes
 * @param bufferTime      how long claimed jobs may wait in this runner for a free slot
 * @param shutdownGrace   how long a stop waits for running jobs before cancelling them
 * @param refreshInterval how often, at most, the ready registry is re-read; also the idle slots' fallback wait
 * @param perType         concurrency caps per job type
 * @param perDomain       concurrency caps per domain
 * @param clusterPerType   cluster-wide concurrency caps per job type (across every runner)
 * @param clusterPerDomain cluster-wide concurrency caps per domain
 * @param ratePerType     cluster-wide rate limits per job type (one bucket over all its domains)
 * @param ratePerDomain   cluster-wide rate limits per domain (one bucket over all its types)
 * @param ratePerQueue    cluster-wide rate limits per job type in each domain (one bucket per queue)
 * @param http            the HTTP endpoint ({@code /health}, {@code /status}, {@code /metrics})
 * @param jmx             whether metrics are exposed over JMX
 */
public record RunnerSettings(String id, List<GroupSettings> groups, Duration shareWindow, int claimBatch,
                             Duration bufferTime, Duration shutdownGrace, Duration refreshInterval,
                             Caps perType, Caps perDomain, Caps clusterPerType, Caps clusterPerDomain,
                             RateRules ratePerType, RateRules ratePerDomain, RateRules ratePerQueue,
                             HttpEndpoint.Settings http, boolean jmx) {

    static final String PATH = "jobrunner.runner";
    public static final String SAMPLE_HINT = "see jobrunner.sample.conf for a commented multi-group example";

    public RunnerSettings {
        groups = List.copyOf(groups);
    }

    /** Maps {@code jobrunner.runner} of a config loaded by {@link io.jobrunner.service.ConfigLoader}. */
    public static RunnerSettings from(Config root) {
        String id = root.getString(PATH + ".id");
        if (id.isBlank()) {
            id = defaultId();
        } else if (!id.matches("[A-Za-z0-9_.:@-]{1,128}")) {
            throw bad(root, "id", "must be 1 to 128 characters of A-Z a-z 0-9 _ . : @ - (or empty for <hostname>-<pid>), was '" + id + "'");
        }
        List<GroupSettings> groups = readGroups(root);
        Duration shareWindow = Durations.positive(root, PATH + ".share-window");
        if (shareWindow.toMillis() < 100) {
            throw bad(root, "share-window", "must be at least 100ms, was " + shareWindow);
        }
        int claimBatch = root.getInt(PATH + ".claim-batch");
        if (claimBatch < 1 || claimBatch > 1000) {
            throw bad(root, "claim-batch", "must be 1 to 1000, was " + claimBatch);
        }
        Duration bufferTime = nonNegative(root, "buffer-time");
        Duration grace = nonNegative(root, "shutdown-grace");
        Duration refresh = Durations.positive(root, PATH + ".refresh-interval");
        if (refresh.toMillis() < 10) {
            throw bad(root, "refresh-interval", "must be at least 10ms, was " + refresh);
        }
        Caps perType = Caps.read(root, PATH + ".concurrency.per-type", "job type");
        Caps perDomain = Caps.read(root, PATH + ".concurrency.per-domain", "domain");
        Caps clusterPerType = Caps.read(root, PATH + ".concurrency.cluster-per-type", "job type");
        Caps clusterPerDomain = Caps.read(root, PATH + ".concurrency.cluster-per-domain", "domain");
        RateRules ratePerType = RateRules.read(root, PATH + ".rate-limits.per-type", "job type");
        RateRules ratePerDomain = RateRules.read(root, PATH + ".rate-limits.per-domain", "domain");
        RateRules ratePerQueue = RateRules.read(root, PATH + ".rate-limits.per-queue", "job type");
        HttpEndpoint.Settings http = HttpEndpoint.Settings.from(root, PATH + ".http");
        boolean jmx = root.getBoolean(PATH + ".jmx.enabled");
        return new RunnerSettings(id, groups, shareWindow, claimBatch, bufferTime, grace, refresh, perType, perDomain, clusterPerType, clusterPerDomain,
                ratePerType, ratePerDomain, ratePerQueue, http, jmx);
    }

    private static List<GroupSettings> readGroups(Config root) {
        String path = GroupSettings.GROUPS;
        List<GroupSettings> enabled = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(root.getObject(path).keySet());
        for (String name : names) {
            GroupSettings g = GroupSettings.read(root, name);
            if (g.enabled()) {
                enabled.add(g);
            }
        }
        if (names.isEmpty()) {
            throw new ConfigException.BadValue(root.getValue(path).origin(), path,
                    "no groups configured: the runner needs at least one group, e.g. groups { basic { slots = 4, types = [\"*\"] } }; "
                            + SAMPLE_HINT);
        }
        if (enabled.isEmpty()) {
            throw new ConfigException.BadValue(root.getValue(path).origin(), path,
                    "every group has slots = 0 (disabled) " + names + ": give at least one group slots > 0; " + SAMPLE_HINT);
        }
        return enabled;
    }

    /** The group called {@code name}, or null. */
    public GroupSettings group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }

    private static Duration nonNegative(Config root, String key) {
        Duration d = root.getDuration(PATH + "." + key);
        if (d.isNegative()) {
            throw bad(root, key, "must be zero or a positive duration such as 200ms or 30s, was " + d);
        }
        return d;
    }

    private static ConfigException bad(Config root, String key, String message) {
        return new ConfigException.BadValue(root.getValue(PATH + "." + key).origin(), PATH + "." + key, message);
    }

    /** {@code <hostname>-<pid>}. */
    static String defaultId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "runner";
            }
        }
        host = host.replaceAll("[^A-Za-z0-9_.-]", "_");
        return host + "-" + ProcessHandle.current().pid();
    }
}
