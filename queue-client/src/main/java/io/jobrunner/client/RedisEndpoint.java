package io.jobrunner.client;

import io.lettuce.core.RedisURI;

import java.util.ArrayList;
import java.util.List;

/**
 * Where Redis is, parsed once from {@code jobrunner.redis.uri}: the one place that tells a standalone server (or a
 * Sentinel-managed one) from a Redis Cluster.
 * <ul>
 *   <li>{@code redis://[user:password@]host:port[/db]}, {@code rediss://} (TLS), {@code redis-socket://path}:
 *       one server;</li>
 *   <li>{@code redis-sentinel://[password@]host:26379[,host2:26379]/db#master} (and {@code rediss-sentinel://}):
 *       the master Sentinel names, followed on failover;</li>
 *   <li>{@code redis-cluster://[user:password@]host1:7000[,host2:7001...]} (and {@code rediss-cluster://}): seed
 *       nodes of a Redis Cluster; the client reads the topology from them and follows it. No database number (a
 *       cluster has only database 0).</li>
 * </ul>
 *
 * @param cluster true for a Redis Cluster
 * @param seeds   one URI for a standalone or Sentinel endpoint; one per seed node for a cluster
 */
public record RedisEndpoint(boolean cluster, List<RedisURI> seeds) {

    public RedisEndpoint {
        seeds = List.copyOf(seeds);
    }

    /** Parses a URI; a bad one throws {@link IllegalArgumentException} naming it with its password masked. */
    public static RedisEndpoint parse(String uri) {
        try {
            String lower = uri.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://")) {
                return new RedisEndpoint(true, clusterSeeds(uri, lower.startsWith("rediss")));
            }
            return new RedisEndpoint(false, List.of(RedisURI.create(uri)));
        } catch (IllegalArgumentException e) {
            // the parser's message may quote the URI, password and all
            throw new IllegalArgumentException("redis uri '" + JobRunnerClient.maskPassword(uri) + "' is not valid: "
                    + JobRunnerClient.maskPassword(String.valueOf(e.getMessage())));
        }
    }

    /** True when the URI names a Redis Cluster (without checking the rest of it). */
    public static boolean isClusterUri(String uri) {
        String lower = uri == null ? "" : uri.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://");
    }

    /** {@code host:port} of the first seed, or the Sentinel master's name, or the socket path: for log lines. */
    public String describe() {
        RedisURI first = seeds.get(0);
        if (first.getSocket() != null) {
            return first.getSocket();
        }
        if (first.getHost() == null && !first.getSentinels().isEmpty()) {
            return first.getSentinelMasterId();
        }
        return (cluster ? "cluster " : "") + first.getHost() + ":" + first.getPort();
    }

    private static List<RedisURI> clusterSeeds(String uri, boolean tls) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        String credentials = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            credentials = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        int end = indexOfAny(rest, "/?#");
        String query = "";
        if (end >= 0) {
            String tail = rest.substring(end);
            if (!tail.startsWith("?") && !tail.equals("/") && !tail.startsWith("/?")) {
                throw new IllegalArgumentException("a cluster URI takes no database number or path (a cluster has only database 0), was '"
                        + tail + "'");
            }
            query = tail.startsWith("/") ? tail.substring(1) : tail;
            rest = rest.substring(0, end);
        }
        if (rest.isBlank()) {
            throw new IllegalArgumentException("a cluster URI needs at least one seed node host:port");
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : rest.split(",")) {
            String hostPort = node.trim();
            if (!hostPort.matches("(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]+):\\d{1,5}")) {
                throw new IllegalArgumentException("cluster seed node '" + hostPort + "' must be host:port");
            }
            seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + credentials + hostPort + query));
        }
        return seeds;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
