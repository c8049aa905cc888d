package io.jobrunner.service;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The daemons' HTTP endpoint:
 * <ul>
 *   <li>{@code /health}: 200 {@code {"status":"ok"}} while healthy, else 503;</li>
 *   <li>{@code /status}: the daemon's status object as JSON;</li>
 *   <li>{@code /metrics}: the {@link MetricRegistry} in Prometheus text format (through the Prometheus
 *       Dropwizard bridge).</li>
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

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving; returns null when the settings disable the endpoint. */
    public static HttpEndpoint start(Settings settings, String name, MetricRegistry metrics,
                                     Supplier<Object> status, BooleanSupplier healthy) {
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
        prometheus.register(new DropwizardExports(metrics));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, name + "-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/health", exchange -> {
            boolean ok = healthy.getAsBoolean();
            respond(exchange, ok ? 200 : 503, "application/json", json(Map.of("status", ok ? "ok" : "unhealthy")));
        });
        server.createContext("/status", exchange -> respond(exchange, 200, "application/json", json(status.get())));
        server.createContext("/metrics", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE_004);
            exchange.sendResponseHeaders(200, 0);
            try (Writer w = new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.UTF_8)) {
                TextFormat.write004(w, prometheus.metricFamilySamples());
            }
        });
        server.start();
        log.info("{} HTTP endpoint on http://{}:{}/ (/health, /status, /metrics)", name, settings.bind(), server.getAddress().getPort());
        return new HttpEndpoint(server, executor);
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

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
