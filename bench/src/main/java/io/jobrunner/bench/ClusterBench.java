package io.jobrunner.bench;

import io.jobrunner.bench.runner.RealRunner;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.LocalCluster;
import io.jobrunner.client.Partitions;
import io.jobrunner.client.QueueName;
import io.jobrunner.testing.ClusterRedis;
import io.jobrunner.testing.RedisServers;
import io.jobrunner.testing.RunningRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --cluster N}: the spread of work over a local Redis Cluster of N masters, against one Redis on the same
 * machine. Two workloads, each pushed (batches of 100) and then drained by the real runner (inline handler):
 * <ul>
 *   <li>{@code partitioned}: one queue whose type has {@code partitions = auto} (one partition per master);</li>
 *   <li>{@code many-queues}: many queues of one job each few, spread by their hash tags.</li>
 * </ul>
 * For each node it reads {@code INFO commandstats} and {@code INFO cpu} before and after, and reports each master's
 * share of the commands and its Redis CPU per job, and the cluster's total CPU and commands per job against the single
 * node (its overhead). The nodes share this machine's cores, so the wall time is no cluster speed-up.
 */
public final class ClusterBench {

    private static final int PUSH_BATCH = 100;
    private static final int SLOTS = 32;

    private final int masters;
    private final int jobs;
    private final int queues;
    private final int jobsPerQueue;
    private final Path out;
    private final PrintStream log;

    public ClusterBench(int masters, int jobs, int queues, int jobsPerQueue, Path out, PrintStream log) {
        this.masters = masters;
        this.jobs = jobs;
        this.queues = queues;
        this.jobsPerQueue = jobsPerQueue;
        this.out = out;
        this.log = log;
    }

    /** One workload on one setup: per node, commands and CPU seconds spent; the jobs and the seconds it took. */
    record Pass(String workload, String setup, int jobs, double seconds, Map<String, Long> commands, Map<String, Double> cpu) {
        long totalCommands() {
            return commands.values().stream().mapToLong(Long::longValue).sum();
        }

        double totalCpu() {
            return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    public int run() throws Exception {
        List<Pass> passes = new ArrayList<>();
        try (RunningRedis single = RedisServers.startDedicated()) {
            int port = Integer.parseInt(single.uri().substring(single.uri().lastIndexOf(':') + 1));
            passes.add(measure("partitioned", "single", single.uri(), List.of(port), true));
            passes.add(measure("many-queues", "single", single.uri(), List.of(port), false));
        }
        try (ClusterRedis cluster = ClusterRedis.start(masters, 0)) {
            List<Integer> ports = cluster.cluster().nodes().stream().map(LocalCluster.Node::port).toList();
            passes.add(measure("partitioned", "cluster", cluster.uri(), ports, true));
            passes.add(measure("many-queues", "cluster", cluster.uri(), ports, false));
        }
        report(passes);
        return 0;
    }

    private Pass measure(String workload, String setup, String uri, List<Integer> ports, boolean partitioned) throws Exception {
        ClientSettings settings = ClientSettings.of(uri).withPrefix("bc" + workload.charAt(0) + setup.charAt(0))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60))
                .withPartitions(partitioned ? Partitions.all(Partitions.AUTO) : Partitions.NONE);
        List<Job> all = partitioned ? sameQueue(jobs) : manyQueues(queues, jobsPerQueue);
        log.printf("cluster bench: %s on %s: %d jobs%n", workload, setup, all.size());
        Map<Integer, RedisInfo> before = info(ports);
        long t0 = System.nanoTime();
        try (JobRunnerClient client = JobRunnerClient.connect(settings)) {
            List<java.util.concurrent.CompletableFuture<?>> pushes = new ArrayList<>();
            for (int from = 0; from < all.size(); from += PUSH_BATCH) {
                pushes.add(client.producer().pushAsync(all.subList(from, Math.min(all.size(), from + PUSH_BATCH))));
            }
            java.util.concurrent.CompletableFuture.allOf(pushes.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
            RealRunner runner = new RealRunner(false);
            runner.start(settings, SLOTS, job -> { });
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (waiting(client) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                runner.stop();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<Integer, RedisInfo> after = info(ports);
        Map<String, Long> commands = new LinkedHashMap<>();
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (int port : ports) {
            long calls = after.get(port).callsSince(before.get(port)).entrySet().stream()
                    .filter(e -> !e.getKey().equals("info") && !e.getKey().startsWith("cluster"))
                    .mapToLong(Map.Entry::getValue).sum();
            commands.put("127.0.0.1:" + port, calls);
            cpu.put("127.0.0.1:" + port, after.get(port).cpuSeconds() - before.get(port).cpuSeconds());
        }
        return new Pass(workload, setup, all.size(), seconds, commands, cpu);
    }

    private static long waiting(JobRunnerClient client) {
        long n = 0;
        for (var counts : client.inspector().counts(client.inspector().queues())) {
            n += counts.ready() + counts.delayed() + counts.claimed();
        }
        return n;
    }

    private static List<Job> sameQueue(int count) {
        List<Job> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Job.of(BenchJobs.TYPE, JobCodec.mapper().createObjectNode().put("n", i)));
        }
        return out;
    }

    private static List<Job> manyQueues(int queues, int perQueue) {
        List<Job> out = new ArrayList<>(queues * perQueue);
        for (int j = 0; j < perQueue; j++) {
            for (int q = 0; q < queues; q++) {
                out.add(Job.of(BenchJobs.TYPE, JobCodec.mapper().createObjectNode().put("n", j)).inDomain("d" + q));
            }
        }
        return out;
    }

    private static Map<Integer, RedisInfo> info(List<Integer> ports) {
        Map<Integer, RedisInfo> out = new LinkedHashMap<>();
        RedisClient client = RedisClient.create();
        try {
            for (int port : ports) {
                try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create("redis://127.0.0.1:" + port))) {
                    out.put(port, RedisInfo.parse(c.sync().info("everything")));
                }
            }
        } finally {
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
        return out;
    }

    private void report(List<Pass> passes) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-12s %-8s %8s %9s %12s %12s  %s%n", "workload", "setup", "jobs", "jobs/s", "cmds/job", "cpu us/job",
                "per node: share of commands, Redis CPU us per job"));
        Map<String, Pass> single = new LinkedHashMap<>();
        for (Pass p : passes) {
            if (p.setup().equals("single")) {
                single.put(p.workload(), p);
            }
            StringBuilder nodes = new StringBuilder();
            p.commands().forEach((node, calls) -> nodes.append(String.format("%s %.1f%% %.1fus; ", node.substring(node.indexOf(':') + 1),
                    100.0 * calls / Math.max(1, p.totalCommands()), 1e6 * p.cpu().get(node) / p.jobs())));
            table.append(String.format("%-12s %-8s %8d %9.0f %12.2f %12.1f  %s%n", p.workload(), p.setup(), p.jobs(), p.jobs() / p.seconds(),
                    (double) p.totalCommands() / p.jobs(), 1e6 * p.totalCpu() / p.jobs(), nodes));
        }
        for (Pass p : passes) {
            Pass base = single.get(p.workload());
            if (p.setup().equals("cluster") && base != null) {
                table.append(String.format("%s: the cluster's Redis CPU per job is %.2fx one node's, its commands per job %.2fx%n",
                        p.workload(), p.totalCpu() / Math.max(1e-9, base.totalCpu()), (double) p.totalCommands() / Math.max(1, base.totalCommands())));
            }
        }
        log.print(table);
        Files.createDirectories(out);
        Path file = out.resolve("cluster-" + masters + ".json");
        Files.writeString(file, JobCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(passes));
        Files.writeString(out.resolve("cluster-" + masters + ".txt"), table.toString());
        log.printf("cluster bench: wrote %s%n", file);
    }
}
