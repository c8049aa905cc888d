package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.DispatchSettings;
import io.jobrunner.mediawiki.Placeholders;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Runs one batch as a POST to a wiki's batch endpoint ({@code kind = http}, e.g. Wikimedia's
 * {@code rpc/RunJobs.php}): empty body, the configured headers, a 2xx body read like runJobs.php's stdout, any
 * other status an error. On timeout the request is abandoned; the server-side PHP may run on until its own limit.
 */
final class HttpBatch {

    private final DispatchSettings dispatch;
    private final HttpClient client;

    HttpBatch(DispatchSettings dispatch) {
        this.dispatch = dispatch;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    BatchRun run(Placeholders values, Duration timeout, RunJobsResult.JobListener listener) throws InterruptedException {
        String url = values.fill(dispatch.url());
        List<String> command = List.of("POST", url);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody());
        dispatch.headers().forEach((name, value) -> request.header(name, values.fill(value)));
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                boolean ok = response.statusCode() / 100 == 2;
                RunJobsResult result = ok ? RunJobsResult.parse(body, listener) : RunJobsResult.unparsed("HTTP status " + response.statusCode());
                String text = ok ? "" : new String(body.readNBytes(dispatch.maxOutput()), java.nio.charset.StandardCharsets.UTF_8);
                return new BatchRun(command, 0, ok ? 0 : response.statusCode(), result, false, null, text, Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (HttpTimeoutException e) {
            return new BatchRun(command, 0, -1, RunJobsResult.unparsed("timed out"), true, null, "", Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            return new BatchRun(command, 0, -1, RunJobsResult.unparsed("request failed"), false, e.getMessage(), "",
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
