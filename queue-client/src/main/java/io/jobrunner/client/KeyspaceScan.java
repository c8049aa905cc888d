package io.jobrunner.client;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code SCAN} in steps whose cursor is a plain string a caller can keep between runs. On a standalone Redis it is
 * Redis's own cursor; on a cluster, where each master holds its own keyspace, it is {@code "<node id>:<cursor>"} and
 * the scan walks the masters one after the other in node id order. A master that left the cluster meanwhile (a
 * failover) is skipped for the next one by id, so a topology change costs part of one pass, never the scan.
 */
final class KeyspaceScan {

    /** One step: the keys it found and the cursor of the next step ({@code null} after the last). */
    record Page(List<String> keys, String nextCursor) {
    }

    private final RedisConnection connection;

    KeyspaceScan(RedisConnection connection) {
        this.connection = connection;
    }

    /** A step from {@code cursor} ({@code "0"} to start). */
    CompletableFuture<Page> step(String cursor, String pattern, int count) {
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(count);
        if (!connection.isCluster()) {
            return connection.async().scan(ScanCursor.of(cursor), args).toCompletableFuture()
                    .thenApply(page -> new Page(page.getKeys(), page.isFinished() ? null : page.getCursor()));
        }
        List<String> masters = connection.masterIds();
        if (masters.isEmpty()) {
            return CompletableFuture.failedFuture(new io.lettuce.core.RedisConnectionException("no cluster master is known"));
        }
        int colon = cursor.indexOf(':');
        String node = colon < 0 ? masters.get(0) : cursor.substring(0, colon);
        String at = colon < 0 ? "0" : cursor.substring(colon + 1);
        if (!masters.contains(node)) {
            node = after(masters, node);
            at = "0";
            if (node == null) {
                return CompletableFuture.completedFuture(new Page(List.of(), null));
            }
        }
        String current = node;
        ScanCursor from = ScanCursor.of(at);
        return connection.nodeAsync(current).thenCompose(commands -> {
            RedisFuture<KeyScanCursor<String>> scan = commands.scan(from, args);
            return scan.toCompletableFuture();
        }).thenApply(page -> {
            if (!page.isFinished()) {
                return new Page(page.getKeys(), current + ":" + page.getCursor());
            }
            String next = after(masters, current);
            return new Page(page.getKeys(), next == null ? null : next + ":0");
        });
    }

    /** The first id after {@code id} in the sorted list, or null. */
    private static String after(List<String> sorted, String id) {
        for (String candidate : sorted) {
            if (candidate.compareTo(id) > 0) {
                return candidate;
            }
        }
        return null;
    }
}
