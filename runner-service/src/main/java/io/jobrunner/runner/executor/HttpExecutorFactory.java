package io.jobrunner.runner.executor;

import com.typesafe.config.Config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@code http} executors:
 * {@code { kind = http, url = "http://127.0.0.1:8080/jobs", headers { Authorization = "Bearer ..." },
 * connect-timeout = 5s, max-output = 64k }}.
 * <ol>
 *   <li>{@code url} required: an absolute http:// or https:// URL with a host;</li>
 *   <li>{@code headers} optional: extra request headers; names the JDK client restricts (Host,
 *       Content-Length, Connection, ...) and the {@code X-Job-*} headers the executor sets are refused;</li>
 *   <li>{@code connect-timeout} optional (default 5s); the whole request is limited by the job's timeout;</li>
 *   <li>{@code max-output} optional (default 64k, 0 to 16m): bytes of the response body kept for the
 *       message, the first ones.</li>
 * </ol>
 */
public final class HttpExecutorFactory implements ExecutorFactory {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Set<String> KEYS = Set.of("kind", "url", "headers", "connect-timeout", "max-output");

    @Override
    public Set<String> kinds() {
        return Set.of("http");
    }

    @Override
    public JobExecutor create(String kind, Config config, String path) {
        ExecutorConfig block = new ExecutorConfig(config, path);
        block.requireOnly(kind, KEYS);
        String allowedUrl = "an absolute http:// or https:// URL, e.g. \"http://127.0.0.1:8080/jobs\"";
        URI url = url(block, block.requiredString("url", allowedUrl), allowedUrl);
        Map<String, String> headers = block.stringMap("headers");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            checkHeader(block, header.getKey(), header.getValue());
        }
        Duration connectTimeout = block.positiveDuration("connect-timeout", DEFAULT_CONNECT_TIMEOUT);
        int maxOutput = block.bytes("max-output", CommandExecutorFactory.DEFAULT_MAX_OUTPUT, 0,
                CommandExecutorFactory.MAX_MAX_OUTPUT);
        return new HttpExecutor(url, headers, connectTimeout, maxOutput, Clock.systemUTC());
    }

    private static URI url(ExecutorConfig block, String text, String allowed) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw block.bad("url", "expected " + allowed + ", got \"" + text + "\": " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw block.bad("url", "expected " + allowed + ", got scheme \"" + uri.getScheme() + "\" in \"" + text + "\"");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw block.bad("url", "expected " + allowed + ", got no host in \"" + text + "\"");
        }
        return uri;
    }

    private static void checkHeader(ExecutorConfig block, String name, String value) {
        if (name.toLowerCase(Locale.ROOT).startsWith("x-job-")) {
            throw block.bad("headers", name, "header " + name
                    + " is set by the executor (X-Job-Id, X-Job-Type, X-Job-Domain, X-Job-Attempt); choose another name");
        }
        try {
            HttpRequest.newBuilder().header(name, value);
        } catch (IllegalArgumentException e) {
            throw block.bad("headers", name, "header " + name + " cannot be sent: " + e.getMessage());
        }
    }
}
