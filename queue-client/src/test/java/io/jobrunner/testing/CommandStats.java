package io.jobrunner.testing;

import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts Redis commands from {@code INFO commandstats}. Redis counts the commands a script runs as well as
 * the script call itself, so a delta shows all the work an operation caused. Use it on a Redis of your own
 * ({@link RedisServers#startDedicated()}): the counts are server-wide. On a cluster they are summed over every master.
 */
public final class CommandStats {

    private final Map<String, Long> calls;

    private CommandStats(Map<String, Long> calls) {
        this.calls = calls;
    }

    /** The counts now. */
    public static CommandStats read(RedisClusterCommands<String, String> redis) {
        Map<String, Long> calls = new TreeMap<>();
        if (redis instanceof RedisAdvancedClusterCommands<String, String> cluster) {
            cluster.upstream().commands().info("commandstats").forEach(info -> add(info, calls));
        } else {
            add(redis.info("commandstats"), calls);
        }
        return new CommandStats(calls);
    }

    /** The counts now of each master of a cluster, by node id (one entry, "", on a single Redis). */
    public static Map<String, CommandStats> perMaster(RedisClusterCommands<String, String> redis) {
        Map<String, CommandStats> out = new TreeMap<>();
        if (redis instanceof RedisAdvancedClusterCommands<String, String> cluster) {
            var infos = cluster.upstream().commands().info("commandstats");
            infos.asMap().forEach((node, info) -> {
                Map<String, Long> calls = new TreeMap<>();
                add(info, calls);
                out.put(node.getNodeId(), new CommandStats(calls));
            });
        } else {
            out.put("", read(redis));
        }
        return out;
    }

    private static void add(String info, Map<String, Long> calls) {
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = line.substring("cmdstat_".length(), colon);
            for (String field : line.substring(colon + 1).split(",")) {
                if (field.startsWith("calls=")) {
                    calls.merge(name, Long.parseLong(field.substring("calls=".length())), Long::sum);
                }
            }
        }
    }

    /** Commands called since {@code before}, without the INFO calls that read the counts. */
    public CommandStats since(CommandStats before) {
        Map<String, Long> delta = new TreeMap<>();
        calls.forEach((name, n) -> {
            long d = n - before.calls.getOrDefault(name, 0L);
            if (d != 0 && !name.equals("info") && !name.startsWith("cluster")) { // nor the clients' topology reads
                delta.put(name, d);
            }
        });
        return new CommandStats(delta);
    }

    /** Calls of one command (lower case, e.g. {@code evalsha}). */
    public long calls(String command) {
        return calls.getOrDefault(command, 0L);
    }

    public long total() {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> asMap() {
        return Map.copyOf(calls);
    }

    @Override
    public String toString() {
        return calls.toString();
    }
}
