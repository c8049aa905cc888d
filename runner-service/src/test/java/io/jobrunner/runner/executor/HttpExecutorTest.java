package io.jobrunner.runner.executor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class HttpExecutorTest {

    private static final String PATH = "jobrunner.executors.sendMail";
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

    /** What the server saw of one request. */
    record Seen(String method, String path, Map<String, List<String>> headers, String body, int remotePort) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final ExecutorService runs = Executors.newCachedThreadPool();
    private HttpServer server;
    private JobExecutor executor;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/ok", exchange -> answer(exchange, 200, Map.of(), "done"));
        server.createContext("/accepted", exchange -> answer(exchange, 202, Map.of(), ""));
        server.createContext("/limited", exchange -> answer(exchange, 429, Map.of("Retry-After", "7"), "slow down"));
        server.createContext("/limited-until", exchange -> answer(exchange, 429, Map.of("Retry-After",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC))), ""));
        server.createContext("/unavailable", exchange -> answer(exchange, 503, Map.of(), "maintenance"));
        server.createContext("/missing", exchange -> answer(exchange, 404, Map.of(), "no such endpoint"));
        server.createContext("/error", exchange -> answer(exchange, 500, Map.of(), "database down"));
        server.createContext("/big-error", exchange -> answer(exchange, 500, Map.of(),
                "HEAD " + "x".repeat(100_000) + " TAIL"));
        server.createContext("/moved", exchange -> answer(exchange, 302, Map.of("Location", "/ok"), ""));
        server.createContext("/slow", exchange -> {
            record(exchange);
            try {
                releaseSlow.await(60, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException | IOException e) {
                // the client went away: expected
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        releaseSlow.countDown();
        if (executor != null) {
            executor.close();
        }
        server.stop(0);
        serverThreads.shutdownNow();
        runs.shutdownNow();
    }

    private void answer(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        record(exchange);
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private void record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body, exchange.getRemoteAddress().getPort()));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private JobExecutor http(String hocon) {
        if (executor != null) {
            executor.close();
        }
        executor = new HttpExecutorFactory().create("http", ConfigFactory.parseString(hocon), PATH);
        return executor;
    }

    private JobExecutor httpTo(String path) {
        return http("url = \"" + url(path) + "\"");
    }

    private static Job job() {
        return Job.of("sendMail", JsonNodeFactory.instance.objectNode().put("to", "ann@example.org")).inDomain("shop-1");
    }

    @Test
    void a2xxIsASuccessAndTheRequestCarriesTheJob() {
        http("url = \"" + url("/ok") + "\"\nheaders { Authorization = \"Bearer s3cret\", X-Tenant = 42 }");
        Job job = job();

        ExecutionResult result = executor.execute(new TestExecutionContext(job, 2, Duration.ofSeconds(30)));

        assertThat(result).isEqualTo(ExecutionResult.success());
        assertThat(seen).hasSize(1);
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.headers()).containsEntry("Content-type", List.of("application/json"))
                .containsEntry("X-job-id", List.of(job.id()))
                .containsEntry("X-job-type", List.of("sendMail"))
                .containsEntry("X-job-domain", List.of("shop-1"))
                .containsEntry("X-job-attempt", List.of("2"))
                .containsEntry("Authorization", List.of("Bearer s3cret"))
                .containsEntry("X-tenant", List.of("42"));
        assertThat(request.body()).isEqualTo(JobCodec.encode(job));
        assertThat(JobCodec.decode(request.body())).isEqualTo(job);
        httpTo("/accepted");
        assertThat(executor.execute(new TestExecutionContext(job))).isEqualTo(ExecutionResult.success());
    }

    @Test
    void requestsShareOnePooledConnection() {
        httpTo("/ok");

        for (int i = 0; i < 3; i++) {
            assertThat(executor.execute(new TestExecutionContext(job()))).isEqualTo(ExecutionResult.success());
        }

        assertThat(seen).extracting(Seen::remotePort).containsOnly(seen.get(0).remotePort());
    }

    @Test
    void a429IsARetryAfterTheSecondsItAsksFor() {
        httpTo("/limited");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
        assertThat(((ExecutionResult.Retry) result).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(result.message()).contains("answered 429", "body: slow down");
    }

    @Test
    void a429WithAnHttpDateIsARetryUntilThatDate() {
        executor = new HttpExecutor(URI.create(url("/limited-until")), Map.of(), Duration.ofSeconds(5), 1024,
                Clock.fixed(NOW, ZoneOffset.UTC));

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(((ExecutionResult.Retry) result).retryAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void a503WithoutRetryAfterIsARetryWithTheConfiguredBackoff() {
        httpTo("/unavailable");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(new ExecutionResult.Retry(result.message(), null));
        assertThat(result.message()).contains("answered 503", "maintenance");
    }

    @Test
    void otherClientErrorsArePermanentFailures() {
        httpTo("/missing");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(ExecutionResult.permanentFailure(result.message()));
        assertThat(result.message()).contains("answered 404", "body: no such endpoint");
    }

    @Test
    void serverErrorsAreRetries() {
        httpTo("/error");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(ExecutionResult.retry(result.message()));
        assertThat(result.message()).contains("answered 500", "body: database down");
    }

    @Test
    void theBodyInTheMessageIsBounded() {
        http("url = \"" + url("/big-error") + "\"\nmax-output = 1k");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result.message()).contains("body: HEAD ", "truncated", "kept the first 1024").doesNotContain("TAIL");
        assertThat(result.message().length()).isLessThan(1024 + 300);
    }

    @Test
    void redirectsAreNotFollowedAndAreRetryableFailures() {
        httpTo("/moved");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(new ExecutionResult.Failure(result.message(), false));
        assertThat(result.message()).contains("answered 302", "redirects are not followed");
    }

    @Test
    void aRefusedConnectionIsARetry() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        http("url = \"http://127.0.0.1:" + port + "/jobs\"");

        ExecutionResult result = executor.execute(new TestExecutionContext(job()));

        assertThat(result).isEqualTo(ExecutionResult.retry(result.message()));
        assertThat(result.message()).contains("could not connect", "ConnectException");
    }

    @Test
    void aRequestOverTheJobTimeoutIsARetry() {
        httpTo("/slow");

        ExecutionResult result = executor.execute(new TestExecutionContext(job(), 1, Duration.ofMillis(300)));

        assertThat(result).isEqualTo(ExecutionResult.retry(result.message()));
        assertThat(result.message()).contains("timed out after", "(timeout 300ms)");
    }

    @Test
    void cancellationCancelsTheRequestAndClosesItsConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch requestRead = new CountDownLatch(1);
            CompletableFuture<Void> closedByClient = new CompletableFuture<>();
            runs.submit(() -> readUntilClosed(listener, requestRead, closedByClient));
            http("url = \"http://127.0.0.1:" + listener.getLocalPort() + "/jobs\"");
            TestExecutionContext context = new TestExecutionContext(job());
            CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> executor.execute(context), runs);
            await().atMost(Duration.ofSeconds(30)).until(() -> requestRead.getCount() == 0);

            context.cancel();

            ExecutionResult result = run.join();
            assertThat(result).isInstanceOf(ExecutionResult.Retry.class);
            assertThat(result.message()).startsWith("cancelled after ").contains("request cancelled");
            closedByClient.get(30, TimeUnit.SECONDS);
        }
    }

    /** A server that never answers: reads one request, then waits for the client to close the connection. */
    private static void readUntilClosed(ServerSocket listener, CountDownLatch requestRead,
                                        CompletableFuture<Void> closedByClient) {
        try (Socket socket = listener.accept()) {
            socket.setSoTimeout(60_000);
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (seen.indexOf("\r\n\r\n") >= 0 && seen.indexOf("\"id\"") >= 0) {
                    requestRead.countDown();
                }
            }
            closedByClient.complete(null);
        } catch (IOException e) {
            closedByClient.completeExceptionally(e);
        }
    }

    @Test
    void configErrorsNameTheFullPathAndWhatIsAllowed() {
        assertThatThrownBy(() -> http("headers { A = b }"))
                .isInstanceOf(ConfigException.Missing.class)
                .hasMessageContaining(PATH + ".url").hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> http("url = \"ftp://127.0.0.1/jobs\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".url").hasMessageContaining("scheme \"ftp\"");
        assertThatThrownBy(() -> http("url = \"127.0.0.1:8080/jobs\""))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining(PATH + ".url");
        assertThatThrownBy(() -> http("url = \"http:///jobs\""))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining("no host");
        assertThatThrownBy(() -> http("url = \"http://a b/\""))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining(PATH + ".url");
        assertThatThrownBy(() -> http("url = \"http://127.0.0.1/\"\nheaders { Host = example.org }"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".headers.Host").hasMessageContaining("cannot be sent");
        assertThatThrownBy(() -> http("url = \"http://127.0.0.1/\"\nheaders { X-Job-Id = 1 }"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".headers.X-Job-Id").hasMessageContaining("set by the executor");
        assertThatThrownBy(() -> http("url = \"http://127.0.0.1/\"\nconnect-timeout = 0s"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".connect-timeout").hasMessageContaining("positive duration");
        assertThatThrownBy(() -> http("url = \"http://127.0.0.1/\"\ntimeout = 5s"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining(PATH + ".timeout")
                .hasMessageContaining("connect-timeout, headers, kind, max-output, url");
    }
}
