package io.jobrunner.runner;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigValueFactory;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.runner.executor.CommandExecutorFactory;
import io.jobrunner.runner.executor.HttpExecutorFactory;
import io.jobrunner.runner.executor.JavaExecutorFactory;
import io.jobrunner.runner.executor.JobExecutor;
import io.jobrunner.runner.executor.JobHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A runner with one executor of each kind that records the metadata it handed on, for the tracing tests:
 * {@code javaJob} (a handler: its context's metadata, and what it ran with), {@code commandJob} (a shell that
 * writes {@code TRACEPARENT} and {@code JOB_META_CORRELATION_ID} to a file), {@code httpJob} (a loopback server
 * that keeps the {@code traceparent} and {@code X-Job-Meta-correlation-id} headers).
 */
final class MetadataProbe implements AutoCloseable {

    /** What one executor saw: the {@code traceparent} and the {@code correlation-id} it was handed. */
    record Seen(String traceparent, String correlationId) {
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> done = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final Path dir;
    private final List<JobExecutor> executors;
    private final Runner runner;

    /** @param onJavaRun called on the handler's thread, e.g. to see the current span */
    MetadataProbe(JobRunnerClient client, Path dir, JobHandler onJavaRun) throws IOException {
        this.dir = dir;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            var headers = exchange.getRequestHeaders();
            exchange.getRequestBody().readAllBytes();
            record(headers.getFirst("X-Job-Id"), new Seen(headers.getFirst("traceparent"), headers.getFirst("X-Job-Meta-correlation-id")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        JobExecutor java = JavaExecutorFactory.forHandler((job, context) -> {
            onJavaRun.handle(job, context);
            record(job.id(), new Seen(context.traceparent().orElse(null), context.metadata().get("correlation-id")));
        });
        JobExecutor command = new CommandExecutorFactory().create("command", ConfigValueFactory.fromMap(Map.of(
                "kind", "command",
                "argv", List.of("/bin/sh", "-c", "printf '%s\\n%s\\n' \"$TRACEPARENT\" \"$JOB_META_CORRELATION_ID\" > \"$1\"",
                        "sh", dir.resolve("{id}.env").toString()))).toConfig(), "jobrunner.executors.commandJob");
        JobExecutor http = new HttpExecutorFactory().create("http", ConfigValueFactory.fromMap(Map.of(
                "kind", "http", "url", "http://127.0.0.1:" + server.getAddress().getPort() + "/run")).toConfig(),
                "jobrunner.executors.httpJob");
        executors = List.of(java, command, http);
        runner = Runner.create(RunnerConfigs.of("jobrunner.runner.groups.all { slots = 2, types = [\"*\"] }"), client,
                new MetricRegistry(), ExecutorLookup.of(Map.of("javaJob", java, "commandJob", command, "httpJob", http)));
        runner.start();
    }

    /** Pushes nothing: waits until {@code job} ran (pushed by the caller) and returns what its executor saw. */
    Seen awaitSeen(Job job) throws Exception {
        CountDownLatch latch = done.computeIfAbsent(job.id(), id -> new CountDownLatch(1));
        if (job.type().equals("commandJob")) {
            Path file = dir.resolve(job.id() + ".env");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).size() == 2);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return new Seen(emptyAsNull(lines.get(0)), emptyAsNull(lines.get(1)));
        }
        assertThat(latch.await(20, TimeUnit.SECONDS)).as("job %s ran", job.id()).isTrue();
        return seen.get(job.id());
    }

    private void record(String id, Seen what) {
        seen.put(id, what);
        done.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
    }

    private static String emptyAsNull(String s) {
        return s.isEmpty() ? null : s;
    }

    @Override
    public void close() {
        runner.stop();
        executors.forEach(JobExecutor::close);
        server.stop(0);
    }
}
