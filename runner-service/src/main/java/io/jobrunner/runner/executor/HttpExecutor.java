package io.jobrunner.runner.executor;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobMetadata;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs jobs by POSTing them to a URL (the {@code http} kind).
 * <ol>
 *   <li>owns one {@link HttpClient} (one connection pool) for all slots; sends the job's full JSON with
 *       {@code Content-Type: application/json}, {@code X-Job-Id}, {@code X-Job-Type}, {@code X-Job-Domain},
 *       {@code X-Job-Attempt}, the configured headers and the run's metadata ({@code traceparent},
 *       {@code X-Job-Meta-<key>}: {@link JobMetadata#headerName}); the request is limited by the job's timeout;</li>
 *   <li>maps the answer: 2xx = success; 429 and 503 = retry after {@code Retry-After} when given; any other
 *       4xx = permanent failure; 5xx, connection errors and timeouts = retry; 1xx/3xx (redirects are not
 *       followed) = retryable failure; the first {@code max-output} bytes of the body go in the message;</li>
 *   <li>on cancellation (timeout, shutdown, or the slot thread interrupted) cancels the request, which
 *       closes its connection, and reports a retry.</li>
 * </ol>
 */
final class HttpExecutor implements JobExecutor {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final URI url;
    private final Map<String, String> headers;
    private final boolean ownContentType;
    private final int maxOutput;
    private final Clock clock;
    private final ExecutorService pool;
    private final HttpClient client;

    HttpExecutor(URI url, Map<String, String> headers, Duration connectTimeout, int maxOutput, Clock clock) {
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.ownContentType = headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
        this.maxOutput = maxOutput;
        this.clock = clock;
        this.pool = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "http-executor-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // plain http: HTTP/1.1 outright, no h2c upgrade dance that some servers mishandle
                .version(url.getScheme().toLowerCase(Locale.ROOT).equals("https")
                        ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .executor(pool)
                .build();
    }

    @Override
    public ExecutionResult execute(ExecutionContext context) {
        long start = System.nanoTime();
        if (context.cancelled()) {
            return ExecutionResult.retry(Outcomes.stopped(context, start));
        }
        OutputCapture body = OutputCapture.head(maxOutput);
        CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request(context),
                info -> HttpResponse.BodySubscribers.ofByteArrayConsumer(
                        chunk -> chunk.ifPresent(bytes -> body.write(bytes, 0, bytes.length))));
        context.onCancel(() -> future.cancel(true));
        HttpResponse<Void> response;
        try {
            response = future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return ExecutionResult.retry(Outcomes.stopped(context, start) + "; request cancelled");
        } catch (CancellationException e) {
            return ExecutionResult.retry(Outcomes.stopped(context, start) + "; request cancelled");
        } catch (ExecutionException e) {
            return failed(context, e.getCause(), start);
        }
        return answered(context, response, body, start);
    }

    private HttpRequest request(ExecutionContext context) {
        Job job = context.job();
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .POST(HttpRequest.BodyPublishers.ofString(JobCodec.encode(job)));
        Duration timeout = context.timeout();
        if (timeout != null && !timeout.isNegative() && !timeout.isZero()) {
            request.timeout(timeout);
        }
        if (!ownContentType) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        context.metadata().forEach((key, value) -> request.header(JobMetadata.headerName(key), value));
        return request.header("X-Job-Id", job.id())
                .header("X-Job-Type", job.type())
                .header("X-Job-Domain", job.domain())
                .header("X-Job-Attempt", Integer.toString(context.attempt()))
                .build();
    }

    private ExecutionResult answered(ExecutionContext context, HttpResponse<Void> response, OutputCapture body,
                                     long start) {
        int status = response.statusCode();
        String message = "POST " + url + " answered " + status + " after " + Outcomes.format(Outcomes.since(start))
                + (body.total() > 0 ? "; body: " + body.text() : "");
        ExecutionResult result;
        if (status >= 200 && status < 300) {
            result = ExecutionResult.success();
        } else if (status == 429 || status == 503) {
            Duration retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
            result = new ExecutionResult.Retry(message, retryAfter);
        } else if (status >= 400 && status < 500) {
            result = ExecutionResult.permanentFailure(message);
        } else if (status >= 500) {
            result = ExecutionResult.retry(message);
        } else {
            result = new ExecutionResult.Failure(message + " (redirects are not followed)", false);
        }
        context.log().debug("{}", message);
        return result;
    }

    private ExecutionResult failed(ExecutionContext context, Throwable error, long start) {
        String prefix = "POST " + url + " ";
        if (error instanceof CancellationException) {
            return ExecutionResult.retry(Outcomes.stopped(context, start) + "; request cancelled");
        }
        if (error instanceof HttpConnectTimeoutException) {
            return ExecutionResult.retry(prefix + "could not connect within the connect-timeout: "
                    + Outcomes.describe(error));
        }
        if (error instanceof HttpTimeoutException) {
            return ExecutionResult.retry(prefix + "timed out after " + Outcomes.format(Outcomes.since(start))
                    + " (timeout " + Outcomes.format(context.timeout()) + ")");
        }
        if (error instanceof ConnectException) {
            return ExecutionResult.retry(prefix + "could not connect: " + Outcomes.describe(error));
        }
        if (error instanceof IOException) {
            return ExecutionResult.retry(prefix + "failed: " + Outcomes.describe(error));
        }
        context.log().warn("POST {} failed unexpectedly", url, error);
        return new ExecutionResult.Failure(prefix + "failed: " + Outcomes.describe(error), false);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return "http executor (" + url + ")";
    }
}
