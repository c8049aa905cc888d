package io.jobrunner.runner;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobTracing;
import io.jobrunner.client.OpenTelemetryTracing;
import io.jobrunner.testing.RedisExtension;
import io.jobrunner.testing.TestRedis;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With an OpenTelemetry SDK (an in-memory exporter): a push is a producer span, its context travels through Redis
 * in the job's metadata, and the run is a consumer span, its child, current on the handler's thread; command and
 * http executors get the run's own context. Producer and runner use separate clients, as separate processes would.
 */
@Timeout(120)
@ExtendWith(RedisExtension.class)
class TracingIT {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Map<String, SpanContext> currentInHandler = new ConcurrentHashMap<>();
    private final Map<String, String> receivedTraceparent = new ConcurrentHashMap<>();
    private OpenTelemetrySdk sdk;
    private JobRunnerClient producer;
    private JobRunnerClient runnerClient;
    private MetadataProbe probe;

    @BeforeEach
    void start(TestRedis redis, @TempDir Path dir) throws Exception {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        JobTracing tracing = OpenTelemetryTracing.of(sdk);
        producer = JobRunnerClient.builder().settings(redis.settings()).tracing(tracing).connect();
        runnerClient = JobRunnerClient.builder().settings(redis.settings()).tracing(tracing).connect();
        probe = new MetadataProbe(runnerClient, dir, (job, context) -> {
            currentInHandler.put(job.id(), Span.current().getSpanContext());
            receivedTraceparent.put(job.id(), job.metadata().get("traceparent"));
            if (job.params().path("fail").asBoolean()) {
                throw new IllegalStateException("mail server said no");
            }
        });
    }

    @AfterEach
    void stop() {
        probe.close();
        producer.close();
        runnerClient.close();
        sdk.close();
    }

    @Test
    void aJobRunsInTheTraceOfItsPushCarriedThroughRedis() throws Exception {
        Span checkout = sdk.getTracer("test").spanBuilder("checkout").startSpan();
        Job job = Job.of("javaJob").withMetadata("correlation-id", "order-17");
        try (Scope ignored = checkout.makeCurrent()) {
            producer.producer().push(job);
        }
        checkout.end();
        MetadataProbe.Seen seen = probe.awaitSeen(job);
        SpanData run = awaitSpan("run javaJob");
        SpanData push = span("push javaJob");

        assertThat(push.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(push.getParentSpanId()).isEqualTo(checkout.getSpanContext().getSpanId());
        assertThat(push.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo("default/javaJob");
        assertThat(push.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo(job.id());
        assertThat(receivedTraceparent.get(job.id())).as("the job as the runner read it from Redis")
                .isEqualTo(traceparent(push.getSpanContext()));

        assertThat(run.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(run.getTraceId()).isEqualTo(checkout.getSpanContext().getTraceId());
        assertThat(run.getParentSpanId()).isEqualTo(push.getSpanId());
        assertThat(run.getAttributes().get(AttributeKey.stringKey("jobrunner.outcome"))).isEqualTo("success");
        assertThat(run.getAttributes().get(AttributeKey.longKey("jobrunner.attempt"))).isEqualTo(1L);
        assertThat(currentInHandler.get(job.id())).as("the current span in the handler").isEqualTo(run.getSpanContext());
        assertThat(seen).isEqualTo(new MetadataProbe.Seen(traceparent(run.getSpanContext()), "order-17"));
    }

    @Test
    void commandAndHttpJobsGetTheRunsContext() throws Exception {
        for (String type : List.of("commandJob", "httpJob")) {
            Job job = Job.of(type).withMetadata("correlation-id", "c-" + type);
            producer.producer().push(job);
            MetadataProbe.Seen seen = probe.awaitSeen(job);
            SpanData run = awaitSpan("run " + type);
            assertThat(run.getParentSpanId()).isEqualTo(span("push " + type).getSpanId());
            assertThat(seen).as(type).isEqualTo(new MetadataProbe.Seen(traceparent(run.getSpanContext()), "c-" + type));
        }
    }

    @Test
    void aTraceparentTheProducerSetIsKeptAndContinued() throws Exception {
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Job job = Job.of("javaJob").withMetadata("traceparent", own);
        producer.producer().push(job);
        probe.awaitSeen(job);
        SpanData run = awaitSpan("run javaJob");
        assertThat(run.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(run.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    }

    @Test
    void aFailedRunIsAnErrorSpan() throws Exception {
        Job job = Job.of("javaJob", Map.of("fail", true));
        producer.producer().push(job);
        await().atMost(Duration.ofSeconds(20)).until(() -> currentInHandler.containsKey(job.id()));
        SpanData run = awaitSpan("run javaJob");
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(run.getStatus().getDescription()).contains("mail server said no");
        assertThat(run.getAttributes().get(AttributeKey.stringKey("jobrunner.outcome"))).isEqualTo("failure");
    }

    @Test
    void withTheApiButNoSdkNothingIsAdded() {
        Job job = Job.of("javaJob").withMetadata("correlation-id", "x");
        JobTracing.PushTrace trace = OpenTelemetryTracing.global().startPush(List.of(job));
        assertThat(trace.jobs()).containsExactly(job);
        trace.end(null);
        assertThat(OpenTelemetryTracing.global().startRun(job, 1).metadata()).isEqualTo(job.metadata());
    }

    private SpanData awaitSpan(String name) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> find(name), s -> s != null);
    }

    private SpanData span(String name) {
        SpanData span = find(name);
        assertThat(span).as("span %s among %s", name, exporter.getFinishedSpanItems()).isNotNull();
        return span;
    }

    private SpanData find(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
    }

    private static String traceparent(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }
}
