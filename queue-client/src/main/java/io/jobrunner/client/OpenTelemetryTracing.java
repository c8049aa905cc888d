package io.jobrunner.client;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link JobTracing} with OpenTelemetry: the only class that touches the OpenTelemetry API, loaded only when the
 * API is on the classpath.
 * <ol>
 *   <li>a push is a {@code PRODUCER} span {@code push <type>} (or {@code push} for several types), a child of the
 *       caller's current span, ended when the push completes; its context is injected, through the configured
 *       propagators, into the metadata of each job that has no {@code traceparent} yet;</li>
 *   <li>a run is a {@code CONSUMER} span {@code run <type>}, child of the context extracted from the job's
 *       metadata, current on the running thread; its context is injected into the metadata executors hand on;</li>
 *   <li>attributes follow the messaging conventions ({@code messaging.system = jobrunner},
 *       {@code messaging.destination.name = domain/type}, {@code messaging.message.id}) plus the attempt and the
 *       outcome; a failed push or run sets the span's status to error;</li>
 *   <li>with no SDK installed (the API's no-op instance) it does nothing per call.</li>
 * </ol>
 */
public final class OpenTelemetryTracing implements JobTracing {

    private static final String SCOPE = "io.jobrunner";
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<Long> BATCH = AttributeKey.longKey("messaging.batch.message_count");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("jobrunner.attempt");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("jobrunner.outcome");

    private final Supplier<OpenTelemetry> openTelemetry;

    private OpenTelemetryTracing(Supplier<OpenTelemetry> openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    /** Traces with this instance (e.g. an SDK the application built). */
    public static JobTracing of(OpenTelemetry openTelemetry) {
        return new OpenTelemetryTracing(() -> openTelemetry);
    }

    /** Traces with the global instance as it is at each call (set by the Java agent or the application). */
    public static JobTracing global() {
        try {
            GlobalOpenTelemetry.class.getMethod("getOrNoop");
            return new OpenTelemetryTracing(GlobalOpenTelemetry::getOrNoop);
        } catch (NoSuchMethodException e) {
            return new OpenTelemetryTracing(GlobalOpenTelemetry::get); // an API older than getOrNoop
        }
    }

    @Override
    public PushTrace startPush(List<Job> jobs) {
        OpenTelemetry otel = openTelemetry.get();
        if (otel == OpenTelemetry.noop() || jobs.isEmpty()) {
            return JobTracing.none().startPush(jobs);
        }
        Set<String> types = new LinkedHashSet<>();
        Set<QueueName> queues = new LinkedHashSet<>();
        for (Job job : jobs) {
            types.add(job.type());
            queues.add(job.queue());
        }
        var span = tracer(otel).spanBuilder(types.size() == 1 ? "push " + types.iterator().next() : "push")
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "jobrunner")
                .setAttribute(OPERATION, "send");
        if (queues.size() == 1) {
            span.setAttribute(DESTINATION, queues.iterator().next().toString());
        }
        if (jobs.size() == 1) {
            span.setAttribute(MESSAGE_ID, jobs.get(0).id());
        } else {
            span.setAttribute(BATCH, (long) jobs.size());
        }
        Span started = span.startSpan();
        Context context = Context.current().with(started);
        List<Job> traced = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            traced.add(job.metadata().containsKey(JobMetadata.TRACEPARENT) ? job : withContext(otel, context, job));
        }
        return new PushTrace() {
            @Override
            public List<Job> jobs() {
                return traced;
            }

            @Override
            public void end(Throwable failure) {
                if (failure != null) {
                    started.recordException(failure);
                    started.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
                }
                started.end();
            }
        };
    }

    @Override
    public RunTrace startRun(Job job, int attempt) {
        OpenTelemetry otel = openTelemetry.get();
        if (otel == OpenTelemetry.noop()) {
            return JobTracing.none().startRun(job, attempt);
        }
        Context parent = otel.getPropagators().getTextMapPropagator().extract(Context.current(), job.metadata(), MetadataGetter.INSTANCE);
        Span span = tracer(otel).spanBuilder("run " + job.type())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "jobrunner")
                .setAttribute(OPERATION, "process")
                .setAttribute(DESTINATION, job.queue().toString())
                .setAttribute(MESSAGE_ID, job.id())
                .setAttribute(ATTEMPT, (long) attempt)
                .startSpan();
        Context context = parent.with(span);
        Map<String, String> metadata = inject(otel, context, job.metadata());
        Scope scope = context.makeCurrent();
        return new RunTrace() {
            @Override
            public Map<String, String> metadata() {
                return metadata;
            }

            @Override
            public void finished(String outcome, String error) {
                span.setAttribute(OUTCOME, outcome);
                if (error != null) {
                    span.setStatus(StatusCode.ERROR, error);
                }
            }

            @Override
            public void close() {
                scope.close();
                span.end();
            }
        };
    }

    private static Tracer tracer(OpenTelemetry otel) {
        return otel.getTracer(SCOPE);
    }

    /** The job with the context's propagation fields in its metadata; as it was if they would break its rules. */
    private static Job withContext(OpenTelemetry otel, Context context, Job job) {
        Map<String, String> metadata = inject(otel, context, job.metadata());
        if (metadata == job.metadata()) {
            return job;
        }
        try {
            return job.withMetadata(metadata);
        } catch (InvalidJobException e) {
            return job; // full of the producer's own entries: the job goes untraced rather than not at all
        }
    }

    /** {@code metadata} with the context's propagation fields added (keys lower-cased); the same map when none. */
    private static Map<String, String> inject(OpenTelemetry otel, Context context, Map<String, String> metadata) {
        TextMapPropagator propagator = otel.getPropagators().getTextMapPropagator();
        Map<String, String> fields = new TreeMap<>();
        propagator.inject(context, fields, (carrier, key, value) -> carrier.put(key.toLowerCase(Locale.ROOT), value));
        if (fields.isEmpty()) {
            return metadata;
        }
        Map<String, String> merged = new TreeMap<>(metadata);
        merged.putAll(fields);
        return Map.copyOf(merged);
    }

    /** Reads propagation fields from a job's metadata, whose keys are lower case. */
    private enum MetadataGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
        }
    }
}
