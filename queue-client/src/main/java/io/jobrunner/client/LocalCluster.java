package io.jobrunner.client;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A throwaway Redis Cluster on this machine, for the quickstart, the tests and the bench: {@code masters} primaries
 * sharing the 16384 slots evenly, each with {@code replicasPerMaster} replicas, every node a {@code redis-server}
 * process on 127.0.0.1 with its own directory under {@code baseDir}.
 * <ol>
 *   <li>starts the processes on free loopback ports whose cluster bus port (port + 10000) is free too;</li>
 *   <li>creates the cluster with plain commands ({@code CLUSTER ADDSLOTS}, {@code MEET}, {@code REPLICATE}: no
 *       {@code redis-cli} needed) and waits until every node reports {@code cluster_state:ok} and knows every
 *       replica;</li>
 *   <li>kills a node on request (SIGKILL, for failover tests) and every node on {@link #close()}, removing the
 *       directories.</li>
 * </ol>
 * Nodes use a short {@code cluster-node-timeout}, so a replica replaces a killed master within a few seconds.
 */
public final class LocalCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int SLOTS = 16384;
    /** Milliseconds before a silent node is failed over. */
    public static final int NODE_TIMEOUT_MS = 1000;

    /** One node: its port, process and directory. */
    public record Node(int port, Process process, Path dir) {
        public String address() {
            return "127.0.0.1:" + port;
        }
    }

    private final List<Node> nodes;
    private final int masters;

    private LocalCluster(List<Node> nodes, int masters) {
        this.nodes = List.copyOf(nodes);
        this.masters = masters;
    }

    /**
     * Starts and creates a cluster; on any failure stops what it started and throws {@link IllegalStateException}
     * with the reason (a node's log when a process did not come up).
     *
     * @param binary  a {@code redis-server} (6.2 or newer)
     * @param options extra {@code redis-server} arguments for every node, e.g. {@code "--appendonly", "yes"}
     */
    public static LocalCluster start(Path binary, int masters, int replicasPerMaster, Path baseDir, String... options) {
        return start(List.of(binary.toString()), masters, replicasPerMaster, baseDir, options);
    }

    /**
     * The same with the command that runs {@code redis-server}, e.g. {@code [setsid, /usr/bin/redis-server]} so a
     * terminal's Ctrl-C reaches the caller and not the nodes.
     */
    public static LocalCluster start(List<String> program, int masters, int replicasPerMaster, Path baseDir, String... options) {
        if (masters < 3 && replicasPerMaster > 0) {
            throw new IllegalArgumentException("failover needs a majority of masters: at least 3, was " + masters);
        }
        if (masters < 1 || replicasPerMaster < 0) {
            throw new IllegalArgumentException("a cluster needs at least one master and no negative replica count");
        }
        List<Node> started = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                started.add(startNode(program, baseDir.resolve("node-" + i), List.of(options)));
            }
            LocalCluster cluster = new LocalCluster(started, masters);
            cluster.create(replicasPerMaster);
            return cluster;
        } catch (RuntimeException | IOException e) {
            started.forEach(LocalCluster::stop);
            if (e instanceof InterruptedRuntime) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("local Redis Cluster did not start: " + e.getMessage(), e);
        }
    }

    /** {@code redis-cluster://127.0.0.1:p1,...} naming every master as a seed. */
    public String uri() {
        return "redis-cluster://" + nodes.subList(0, masters).stream().map(Node::address).collect(Collectors.joining(","));
    }

    /** Every node, the first {@code masters} ones created as masters (a failover may have changed roles since). */
    public List<Node> nodes() {
        return nodes;
    }

    /** Ports of the nodes that are masters now (asked of each live node). */
    public List<Integer> currentMasters() {
        List<Integer> out = new ArrayList<>();
        try (Admin admin = new Admin()) {
            for (Node node : nodes) {
                if (node.process().isAlive()) {
                    try {
                        if (admin.on(node).info("replication").contains("role:master")) {
                            out.add(node.port());
                        }
                    } catch (RuntimeException e) {
                        // a node that does not answer is no master a client could use
                    }
                }
            }
        }
        return out;
    }

    /** SIGKILL to one node, as a crash would; waits until it is gone. */
    public void kill(Node node) {
        try {
            node.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        nodes.forEach(LocalCluster::stop);
    }

    private void create(int replicasPerMaster) {
        try (Admin admin = new Admin()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                RedisCommands<String, String> node = admin.on(nodes.get(i));
                ids.add(node.clusterMyId());
                if (i < masters) {
                    node.clusterAddSlots(IntStream.range(i * SLOTS / masters, (i + 1) * SLOTS / masters).toArray());
                }
                if (i > 0) {
                    node.clusterMeet("127.0.0.1", nodes.get(0).port());
                }
            }
            awaitEveryNode(admin, "every node knows all " + nodes.size(), false,
                    table -> table.lines().filter(l -> !l.isBlank()).count() == nodes.size());
            for (int i = masters; i < nodes.size(); i++) {
                admin.on(nodes.get(i)).clusterReplicate(ids.get((i - masters) % masters));
            }
            long replicas = (long) masters * replicasPerMaster;
            awaitEveryNode(admin, "cluster_state:ok and " + replicas + " replica(s) known", true,
                    table -> table.lines().map(l -> l.split(" ")).filter(f -> f.length > 2 && f[2].contains("slave")).count() == replicas);
        }
    }

    /** Waits until every node's {@code CLUSTER NODES} passes the check (and it says {@code cluster_state:ok}). */
    private void awaitEveryNode(Admin admin, String what, boolean stateOk, java.util.function.Predicate<String> check) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Node node : nodes) {
                String info = admin.on(node).clusterInfo();
                String table = admin.on(node).clusterNodes();
                if (!check.test(table) || stateOk && !info.contains("cluster_state:ok")) {
                    all = false;
                    last = node.address() + ": " + info.lines().findFirst().orElse("") + "\n" + table;
                    break;
                }
            }
            if (all) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new InterruptedRuntime();
            }
        }
        throw new IllegalStateException("not ready within " + READY_TIMEOUT.toSeconds() + " s (" + what + "): " + last);
    }

    private static Node startNode(List<String> program, Path dir, List<String> options) throws IOException {
        Files.createDirectories(dir);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) { // another process may take a port between probe and bind
            int port = freePortWithBus();
            List<String> command = new ArrayList<>(program);
            command.addAll(List.of("--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--protected-mode", "yes", "--daemonize", "no", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--loglevel", "warning", "--cluster-enabled", "yes",
                    "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                    "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS)));
            command.addAll(options);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
            if (LoopbackRedis.awaitPong(port, process, Duration.ofSeconds(20))) {
                return new Node(port, process, dir);
            }
            process.destroyForcibly();
            last = new IllegalStateException("redis-server did not answer on port " + port + ": " + Files.readString(dir.resolve("redis.log")));
        }
        throw last;
    }

    /** A free port below 55536 whose cluster bus port (+10000) is free as well. */
    private static int freePortWithBus() {
        for (int i = 0; i < 100; i++) {
            int port = LoopbackRedis.freePort();
            if (port + 10000 <= 65535 && isFree(port + 10000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair (port, port + 10000) found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void stop(Node node) {
        try {
            node.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(node.dir())) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** Short-lived plain connections to single nodes, for the cluster's own setup commands. */
    private static final class Admin implements AutoCloseable {
        private final RedisClient client = RedisClient.create();
        private final java.util.Map<Integer, StatefulRedisConnection<String, String>> connections = new java.util.HashMap<>();

        RedisCommands<String, String> on(Node node) {
            return connections.computeIfAbsent(node.port(), port ->
                    client.connect(RedisURI.Builder.redis("127.0.0.1", port).withTimeout(Duration.ofSeconds(5)).build())).sync();
        }

        @Override
        public void close() {
            connections.values().forEach(StatefulRedisConnection::close);
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    private static final class InterruptedRuntime extends RuntimeException {
        InterruptedRuntime() {
            super("interrupted while waiting for the cluster");
        }
    }
}
