package io.jobrunner.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link JobRunnerClient} without a config file: the Redis URI and, when the defaults do not fit, the key
 * prefix, timeouts, payload cap, batch size, clock and tracing. Each value is checked when {@link #connect()} builds
 * the {@link ClientSettings}; a bad one fails with an {@link IllegalArgumentException} that names it.
 */
public final class JobRunnerClientBuilder {

    private ClientSettings settings = ClientSettings.of(ClientSettings.DEFAULT_URI);
    private Clock clock = Clock.systemUTC();
    private JobTracing tracing;

    JobRunnerClientBuilder() {
    }

    /** {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for TLS; default {@code redis://127.0.0.1:6379}. */
    public JobRunnerClientBuilder redis(String uri) {
        ClientSettings s = settings;
        settings = new ClientSettings(uri, s.prefix(), s.connectTimeout(), s.commandTimeout(), s.maxPayloadBytes(), s.batchSize());
        return this;
    }

    /** Every key starts with this; default {@code jr}. Producers and runners of one system share it. */
    public JobRunnerClientBuilder prefix(String prefix) {
        settings = settings.withPrefix(prefix);
        return this;
    }

    public JobRunnerClientBuilder timeouts(Duration connect, Duration command) {
        settings = settings.withTimeouts(Objects.requireNonNull(connect, "connect timeout"), Objects.requireNonNull(command, "command timeout"));
        return this;
    }

    /** The cap on a job's serialized params; default 1 MiB. */
    public JobRunnerClientBuilder maxPayloadBytes(int bytes) {
        settings = settings.withMaxPayloadBytes(bytes);
        return this;
    }

    /** Most items one script call handles; default 500. */
    public JobRunnerClientBuilder batchSize(int size) {
        settings = settings.withBatchSize(size);
        return this;
    }

    /** All settings at once, e.g. mapped from a config file. */
    public JobRunnerClientBuilder settings(ClientSettings all) {
        settings = Objects.requireNonNull(all, "settings");
        return this;
    }

    public JobRunnerClientBuilder clock(Clock newClock) {
        clock = Objects.requireNonNull(newClock, "clock");
        return this;
    }

    /** How pushes and runs are traced; default {@link JobTracing#detect()}. */
    public JobRunnerClientBuilder tracing(JobTracing newTracing) {
        tracing = Objects.requireNonNull(newTracing, "tracing");
        return this;
    }

    /** Connects; throws {@link JobQueueException} ({@link ErrorCode#REDIS_UNAVAILABLE}) when Redis is not there. */
    public JobRunnerClient connect() {
        return JobRunnerClient.connect(settings, clock, tracing == null ? JobTracing.detect() : tracing);
    }
}
