package io.jobrunner.mediawiki;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.service.RedisSection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jobrunner.mode} and {@code jobrunner.mediawiki}, validated at start (a bad value fails with the HOCON path
 * and what is allowed) and frozen after.
 *
 * @param queues      every Redis server holding MediaWiki job queues
 * @param aggregators ordered failover list for the ready map, the chron lease and the PHP pool lock
 * @param keyPrefix   prefix of jobrunner's own keys beside MediaWiki's
 * @param downTime    how long a failed server is skipped
 */
public record MwSettings(List<ClientSettings> queues, List<ClientSettings> aggregators, String keyPrefix, Duration downTime,
                         DispatchSettings dispatch, MwLimits limits, Backoff backoff, Duration staleAfter, Chron chron) {

    public static final String PATH = "jobrunner.mediawiki";
    public static final String MODE = "jobrunner.mode";

    /** {@code jobrunner.mediawiki.backoff}. */
    public record Backoff(Duration nonePossible, Duration readOnly, Duration replicaLag, Duration misrouted,
                          Duration errorInitial, Duration errorMax) {
    }

    /** {@code jobrunner.mediawiki.chron}. */
    public record Chron(int pageSize, int maxCallsPerQueue, Duration queuePause, boolean scanOnStart, boolean phpPoolLock) {
    }

    public MwSettings {
        queues = List.copyOf(queues);
        aggregators = List.copyOf(aggregators);
    }

    /** True when {@code jobrunner.mode = mediawiki}; a value other than native or mediawiki fails. */
    public static boolean isMediawikiMode(Config root) {
        String mode = root.getString(MODE);
        return switch (mode) {
            case "native" -> false;
            case "mediawiki" -> true;
            default -> throw new ConfigException.BadValue(root.getValue(MODE).origin(), MODE, "must be native or mediawiki, was '" + mode + "'");
        };
    }

    public static MwSettings from(Config root) {
        ClientSettings redis = RedisSection.clientSettings(root);
        Config c = root.getConfig(PATH);
        List<ClientSettings> queues = servers(root, c, "queues", redis);
        if (queues.isEmpty()) {
            queues = List.of(redis);
        }
        List<ClientSettings> aggregators = servers(root, c, "aggregators", redis);
        if (aggregators.isEmpty()) {
            aggregators = queues;
        }
        String keyPrefix = c.getString("key-prefix");
        if (!keyPrefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw bad(c, "key-prefix", "must be 1 to 64 characters of A-Z a-z 0-9 _ . : -, was '" + keyPrefix + "'");
        }
        DispatchSettings dispatch = DispatchSettings.from(root);
        MwLimits limits = MwLimits.from(root);
        long floor = 2 * dispatch.largestMaxtime();
        limits.processTimeout().forEach((type, timeout) -> {
            if (timeout.toSeconds() < floor) {
                throw new ConfigException.BadValue(c.getValue("limits.process-timeout").origin(), PATH + ".limits.process-timeout." + type,
                        "must be at least 2 x the largest dispatch.maxtime (" + floor + "s): a batch runs up to maxtime plus one job, was " + timeout);
            }
        });
        Backoff backoff = new Backoff(positive(c, "backoff.none-possible"), positive(c, "backoff.read-only"),
                positive(c, "backoff.replica-lag"), positive(c, "backoff.misrouted"),
                positive(c, "backoff.error.initial"), positive(c, "backoff.error.max"));
        int pageSize = c.getInt("chron.page-size");
        if (pageSize < 1 || pageSize > 10000) {
            throw bad(c, "chron.page-size", "must be 1 to 10000, was " + pageSize);
        }
        int maxCalls = c.getInt("chron.max-calls-per-queue");
        if (maxCalls < 1 || maxCalls > 100) {
            throw bad(c, "chron.max-calls-per-queue", "must be 1 to 100, was " + maxCalls);
        }
        Duration pause = c.getDuration("chron.queue-pause");
        if (pause.isNegative()) {
            throw bad(c, "chron.queue-pause", "must not be negative");
        }
        Chron chron = new Chron(pageSize, maxCalls, pause, c.getBoolean("chron.scan-on-start"), c.getBoolean("chron.php-pool-lock"));
        return new MwSettings(queues, aggregators, keyPrefix, positive(c, "down-time"), dispatch, limits, backoff,
                positive(c, "ready-map.stale-after"), chron);
    }

    /**
     * What is allowed but likely wrong, for the start log and {@code check-config}: a claim TTL a live batch can
     * outlast, a share window or shutdown grace too short for the batches, an argv placeholder that a type
     * starting with '-' would turn into an option, a program not found.
     */
    public List<String> warnings(Duration shareWindow, Duration shutdownGrace) {
        List<String> warnings = new ArrayList<>();
        for (String type : limits.claimTtl().keySet()) {
            check(type, warnings);
        }
        for (String type : limits.processTimeout().keySet()) {
            if (!limits.claimTtl().containsKey(type)) {
                check(type, warnings);
            }
        }
        long maxtime = dispatch.largestMaxtime();
        if (shareWindow.toSeconds() < 5 * maxtime) {
            warnings.add("jobrunner.runner.share-window (" + shareWindow.toSeconds() + "s) is under 5 x the largest maxtime (" + maxtime
                    + "s): the time share sees too few batches (10m recommended in mediawiki mode)");
        }
        if (shutdownGrace.toSeconds() < maxtime) {
            warnings.add("jobrunner.runner.shutdown-grace (" + shutdownGrace.toSeconds() + "s) is under the largest maxtime (" + maxtime
                    + "s): batches are killed on shutdown and their jobs wait for the claim TTL");
        }
        if (dispatch.kind() == DispatchSettings.Kind.COMMAND) {
            List<String> argv = dispatch.argv();
            for (int i = 1; i < argv.size(); i++) {
                if (argv.get(i).matches("\\{[a-z]+}") && argv.get(i - 1).startsWith("-") && !argv.get(i - 1).contains("=")) {
                    warnings.add(PATH + ".dispatch.argv: \"" + argv.get(i) + "\" stands alone after \"" + argv.get(i - 1)
                            + "\": a value starting with '-' would be read as an option; write \"" + argv.get(i - 1) + "=" + argv.get(i) + "\"");
                }
            }
            String program = argv.get(0);
            if (!program.contains("{") && !onPath(program)) {
                warnings.add(PATH + ".dispatch.argv[0] '" + program + "' is not an executable file nor found on PATH");
            }
        }
        return warnings;
    }

    private void check(String type, List<String> warnings) {
        Duration ttl = limits.claimTtl(type);
        Duration needed = limits.processTimeout(type).plus(dispatch.stopGrace());
        if (ttl.compareTo(needed) < 0) {
            warnings.add(PATH + ".limits.claim-ttl for " + type + " (" + ttl.toSeconds() + "s) is under process-timeout + stop-grace ("
                    + needed.toSeconds() + "s): a job still running may be recycled and run twice");
        }
    }

    private static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static List<ClientSettings> servers(Config root, Config c, String key, ClientSettings redis) {
        List<ClientSettings> out = new ArrayList<>();
        List<String> uris = c.getStringList(key);
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            if (!uri.matches("(redis|rediss|redis-sentinel|rediss-sentinel|redis-socket)://.+")) {
                throw bad(c, key, "entry " + i + " must be a redis://, rediss://, redis-sentinel:// or redis-socket:// URI, was '"
                        + io.jobrunner.client.JobRunnerClient.maskPassword(uri) + "'");
            }
            try {
                io.lettuce.core.RedisURI.create(uri);
            } catch (IllegalArgumentException e) {
                throw bad(c, key, "entry " + i + " is not a valid Redis URI: " + e.getMessage());
            }
            out.add(new ClientSettings(uri, redis.prefix(), redis.connectTimeout(), redis.commandTimeout(), redis.maxPayloadBytes(), redis.batchSize()));
        }
        return out;
    }

    private static Duration positive(Config c, String key) {
        Duration d = c.getDuration(key);
        if (d.isNegative() || d.isZero()) {
            throw bad(c, key, "must be positive, was " + d);
        }
        return d;
    }

    private static ConfigException bad(Config c, String key, String message) {
        return new ConfigException.BadValue(c.getValue(key).origin(), PATH + "." + key, message);
    }
}
