package io.jobrunner.service;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.prometheus.client.CollectorRegistry;
import io.jobrunner.service.metrics.MetricSpec;
import io.jobrunner.service.metrics.PrometheusExport;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The daemons' HTTP endpoint. Paths match exactly; only {@code GET} and {@code HEAD} are allowed (405
 * otherwise, 404 for any other path):
 * <ul>
 *   <li>{@code /livez}: the process works (its threads are alive and not wedged); 200 or 503 with a JSON
 *       reason. Stays 200 through a Redis outage, which the daemons ride out by themselves: a Kubernetes
 *       liveness probe;</li>
 *   <li>{@code /readyz}: the daemon can do its work now (Redis reachable; the chron's role is shown); 200 or
 *       503 with a JSON reason: a readiness probe;</li>
 *   <li>{@code /health}: the same as {@code /readyz}, kept for the checks written against it before the probes
 *       were split (the README's earlier deployment notes);</li>
 *   <li>{@code /status}: the daemon's status object as JSON;</li>
 *   <li>{@code /metrics}: the {@link MetricRegistry} in Prometheus text format ({@link PrometheusExport}: labelled
 *       {@code jobrunner_} families with their HELP), plus the JVM's and the process's standard metrics.</li>
 * </ul>
 * Binds 127.0.0.1 by default; port 0 picks a free port ({@link #port()} tells which).
 */
public final class HttpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** {@code <section>.http { enabled, bind, port }}. */
    public record Settings(boolean enabled, String bind, int port) {

        public static Settings from(Config root, String path) {
            Config c = root.getConfig(path);
            int port = c.getInt("port");
            if (port < 0 || port > 65535) {
                throw new ConfigException.BadValue(c.getValue("port").origin(), path + ".port", "must be 0 (any free port) to 65535, was " + port);
            }
            return new Settings(c.getBoolean("enabled"), c.getString("bind"), port);
        }
    }

    /** What the endpoint serves: the daemon's metrics and their specs, its status and its two probes. */
    public record Content(MetricRegistry metrics, Collection<MetricSpec> specs, Supplier<Object> status,
                          Supplier<ProbeResult> liveness, Supplier<ProbeResult> readiness) {
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving; returns null when the settings disable the endpoint. */
    public static HttpEndpoint start(Settings settings, String name, Content content) {
        if (!settings.enabled()) {
            return null;
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the " + name + " HTTP endpoint to " + settings.bind() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        CollectorRegistry prometheus = new CollectorRegistry();
        prometheus.register(new PrometheusExport(content.metrics(), content.specs()));
        DefaultExports.register(prometheus);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, name + "-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        Map<String, HttpHandler> routes = Map.of(
                "/livez", exchange -> probe(exchange, content.liveness().get()),
                "/readyz", exchange -> probe(exchange, content.readiness().get()),
                "/health", exchange -> probe(exchange, content.readiness().get()),
                "/status", exchange -> respond(exchange, 200, "application/json", json(content.status().get())),
                "/metrics", exchange -> {
                    StringWriter text = new StringWriter();
                    TextFormat.write004(text, prometheus.metricFamilySamples());
                    respond(exchange, 200, TextFormat.CONTENT_TYPE_004, text.toString().getBytes(StandardCharsets.UTF_8));
                });
        server.createContext("/", exchange -> route(exchange, routes));
        server.start();
        log.info("{} HTTP endpoint on http://{}:{}/ (/livez, /readyz, /status, /metrics)", name, settings.bind(), server.getAddress().getPort());
        return new HttpEndpoint(server, executor);
    }

    private static void route(HttpExchange exchange, Map<String, HttpHandler> routes) throws IOException {
        try {
            HttpHandler handler = routes.get(exchange.getRequestURI().getPath());
            if (handler == null) {
                respond(exchange, 404, "application/json", json(Map.of("error", "not found", "paths", new TreeSet<>(routes.keySet()))));
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "application/json", json(Map.of("error", "method " + method + " not allowed", "allowed", List.of("GET", "HEAD"))));
                return;
            }
            handler.handle(exchange);
        } finally {
            exchange.close();
        }
    }

    private static void probe(HttpExchange exchange, ProbeResult result) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.ok() ? "ok" : "failing");
        body.put("reason", result.reason());
        body.put("checks", result.checks());
        respond(exchange, result.ok() ? 200 : 503, "application/json", json(body));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            return ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Sends status, type and body; a HEAD request gets the headers only. */
    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
