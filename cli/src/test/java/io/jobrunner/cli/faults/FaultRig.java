package io.jobrunner.cli.faults;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.chron.ChronMain;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.QueueName;
import io.jobrunner.runner.RunnerMain;
import io.jobrunner.testing.ChildJvm;
import io.jobrunner.testing.RedisProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One fault scenario's world: a {@link RedisProcess} the test hurts, runner and chron daemons as child JVMs
 * ({@link RunnerMain}, {@link ChronMain}) with short claim TTLs and intervals, jobs of {@link RecordingHandler}
 * that record each run in a file, and what the test asserts: every job ran (none lost), and how many ran twice.
 * {@link #close()} kills every process it started.
 */
final class FaultRig implements AutoCloseable {

    static final QueueName QUEUE = new QueueName("faults", "recorded");
    /** Claim TTL of the daemons unless a test sets another: a dead runner's jobs come back after about this. */
    static final String CLAIM_TTL = "3s";

    private final Path dir;
    private final RedisProcess redis;
    private final Path runs;
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<String> pushed = new ArrayList<>();
    private JobRunnerClient client;
    private String claimTtl = CLAIM_TTL;

    FaultRig(Path dir, String... redisOptions) {
        this.dir = dir;
        this.redis = RedisProcess.onFreePort(dir.resolve("redis"), redisOptions);
        this.runs = dir.resolve("runs.txt");
    }

    /** The daemons started from now on use this claim TTL. */
    FaultRig claimTtl(String ttl) {
        this.claimTtl = ttl;
        return this;
    }

    RedisProcess redis() {
        return redis;
    }

    /** The test's own client (connects on first use; Redis must be up then). */
    JobRunnerClient client() {
        if (client == null) {
            client = JobRunnerClient.connect(ClientSettings.of(redis.uri()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        }
        return client;
    }

    /** Pushes {@code n} jobs that each run {@code ms} milliseconds. */
    List<String> push(int n, long ms) {
        return push(n, ms, null);
    }

    /** Pushes {@code n} jobs that each run {@code ms} milliseconds, delayed until {@code releaseAt} when not null. */
    List<String> push(int n, long ms, Instant releaseAt) {
        List<Job> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode params = JsonNodeFactory.instance.objectNode().put("runs", runs.toString()).put("ms", ms);
            Job job = Job.of(QUEUE.type(), params).inDomain(QUEUE.domain());
            jobs.add(releaseAt == null ? job : job.releaseAt(releaseAt));
        }
        client().producer().push(jobs);
        jobs.forEach(j -> pushed.add(j.id()));
        return jobs.stream().map(Job::id).toList();
    }

    ChildJvm startRunner(String name, int slots) throws IOException {
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, common() + String.join("\n",
                "jobrunner.runner { id = " + name + ", http.port = 0, jmx.enabled = false, shutdown-grace = 2s, refresh-interval = 200ms,",
                "  groups.all { slots = " + slots + ", types = [\"*\"] } }",
                "jobrunner.executors { \"*\" { kind = java, class = \"" + RecordingHandler.class.getName() + "\", stop-grace = 1s } }", ""));
        return start(ChildJvm.start(dir, name, RunnerMain.class, "--config", conf.toString()));
    }

    ChildJvm startChron(String name) throws IOException {
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, common() + "jobrunner.chron { interval = 200ms, repair-interval = 1s, lease-ttl = 2s, http.port = 0 }\n");
        return start(ChildJvm.start(dir, name, ChronMain.class, "--config", conf.toString()));
    }

    private ChildJvm start(ChildJvm child) {
        children.add(child);
        return child;
    }

    private String common() {
        return String.join("\n",
                "jobrunner.redis { uri = \"" + redis.uri() + "\", connect-timeout = 1s, command-timeout = 2s,",
                "  startup-wait { initial = 100ms, max = 500ms, log-every = 5s } }",
                "jobrunner.limits { claim-ttl { \"*\" = " + claimTtl + " }, attempts { \"*\" = 50 },",
                "  backoff { \"*\" { initial = 100ms, max = 500ms } } }", "");
    }

    /** Runs recorded per job id so far. */
    Map<String, Integer> runsPerJob() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        if (!Files.exists(runs)) {
            return counts;
        }
        try (Stream<String> lines = Files.lines(runs)) {
            lines.filter(l -> !l.isBlank()).forEach(id -> counts.merge(id, 1, Integer::sum));
        }
        return counts;
    }

    /** True when the queue holds nothing in any state: every job was acked (false while Redis does not answer). */
    boolean drained() {
        try {
            QueueCounts c = client().inspector().counts(QUEUE);
            return c.ready() + c.claimed() + c.delayed() + c.abandoned() == 0;
        } catch (JobQueueException e) {
            return false; // this client has not reconnected yet
        }
    }

    /** Pushed jobs that never ran (must be none once drained). */
    List<String> neverRan() throws IOException {
        Map<String, Integer> runsPerJob = runsPerJob();
        return pushed.stream().filter(id -> !runsPerJob.containsKey(id)).toList();
    }

    /** Jobs that ran more than once. */
    long duplicates() throws IOException {
        return runsPerJob().values().stream().filter(n -> n > 1).count();
    }

    /** Total runs recorded so far. */
    int runs() throws IOException {
        return runsPerJob().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The port of a child's HTTP endpoint (the last one it logged: its own, after any wait for Redis), or -1. */
    static int httpPort(ChildJvm child, String daemon) {
        Matcher m = Pattern.compile(daemon + " HTTP endpoint on http://127\\.0\\.0\\.1:(\\d+)/").matcher(child.output());
        int port = -1;
        while (m.find()) {
            port = Integer.parseInt(m.group(1));
        }
        return port;
    }

    /** The body of GET {@code path} on a child's endpoint. */
    static String httpGet(int port, String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Every child's output, for assertion messages. */
    String outputs() {
        StringBuilder sb = new StringBuilder();
        for (ChildJvm c : children) {
            String out = c.output();
            sb.append("\n---- child ").append(c.process().pid()).append(" (alive ").append(c.isAlive()).append(")\n")
                    .append(out.length() > 6000 ? out.substring(out.length() - 6000) : out);
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        for (ChildJvm c : children) {
            c.close();
        }
        if (client != null) {
            client.close();
        }
        redis.close();
    }
}
