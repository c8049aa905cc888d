package io.jobrunner.service;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobRunnerClient;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The life of one daemon process, the same whether the CLI ({@code jobrunner runner}, {@code jobrunner chron})
 * or a standalone main ({@code RunnerMain}, {@code ChronMain}) runs it: validate the loaded config (every section
 * the daemon reads, before Redis is touched) → listen for SIGTERM/SIGINT → connect, waiting for Redis as long as
 * it takes ({@link RedisWait}) → start → say so on stderr → wait for the signal or the daemon's failure → stop.
 * Exit codes, for every daemon:
 * <ul>
 *   <li>{@link #EXIT_OK} 0: stopped gracefully (also when stopped while waiting for Redis);</li>
 *   <li>{@link #EXIT_FAILURE} 1: it could not start (the endpoint's port taken) or an essential thread died;</li>
 *   <li>{@link #EXIT_CONFIG} 2: a usage or config error, the message naming the HOCON path;</li>
 *   <li>{@link ShutdownSignals#EXIT_SECOND_SIGNAL} 130: a second signal during the graceful stop.</li>
 * </ul>
 * Front ends map exceptions to these codes: {@link DaemonMain} for the standalone mains, the CLI's handler for
 * its commands.
 */
public final class DaemonLifecycle {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_CONFIG = 2;

    /** One kind of daemon: how to validate its config, start it, watch it and stop it. */
    public interface Kind<D> {

        /** {@code runner} or {@code chron}: for log lines, messages and the signal handler. */
        String name();

        /** Checks every section the daemon reads; a bad value throws a ConfigException naming its path. */
        void validate(Config config);

        /** Where the daemon serves {@code /status} (also while it waits for Redis). */
        HttpEndpoint.Settings http(Config config);

        /** Builds and starts the daemon; cleans up what it started when it throws. */
        D start(Config config, JobRunnerClient client, MetricRegistry metrics);

        /** Completes when an essential thread of the daemon died: the process then exits 1. */
        CompletableFuture<String> failure(D daemon);

        /** Stops gracefully (blocks until stopped). */
        void stop(D daemon);

        /** How the start-up line names it, e.g. {@code runner r-host-1}. */
        String title(D daemon);

        /** The port its HTTP endpoint listens on, or -1. */
        int httpPort(D daemon);
    }

    /** What stops the daemon: {@code request} completes; {@code signals} says whether SIGTERM/SIGINT complete it. */
    public record Stop(CompletableFuture<Void> request, boolean signals) {

        /** Stopped by SIGTERM or SIGINT (a real process). */
        public static Stop onSignals() {
            return new Stop(new CompletableFuture<>(), true);
        }
    }

    private DaemonLifecycle() {
    }

    /**
     * Runs the daemon of {@code kind} with the loaded {@code config} until {@code stop}; returns the exit code.
     * Throws a ConfigException for a bad config, before anything started, and what start throws when it
     * cannot start.
     *
     * @param say prints the start-up line on the process's stderr
     */
    public static <D> int run(Kind<D> kind, Config config, Stop stop, Consumer<String> say) throws InterruptedException {
        kind.validate(config);
        ClientSettings client = RedisSection.clientSettings(config);
        RedisWait.Settings waitSettings = RedisWait.Settings.from(config);
        HttpEndpoint.Settings http = kind.http(config);
        if (stop.signals()) {
            ShutdownSignals.install(kind.name(), () -> stop.request().complete(null));
        }
        MetricRegistry metrics = new MetricRegistry();
        RedisWait wait = new RedisWait(waitSettings, kind.name(), client.uri(), http, metrics);
        RedisWait.Started<D> started = wait.await(() -> JobRunnerClient.connect(client), c -> kind.start(config, c, metrics),
                stop.request());
        if (started == null) {
            return EXIT_OK; // stopped while waiting for Redis
        }
        boolean failed;
        try (JobRunnerClient connected = started.client()) {
            D daemon = started.daemon();
            try {
                int port = kind.httpPort(daemon);
                say.accept(kind.title(daemon) + " running on " + JobRunnerClient.maskPassword(client.uri()) + " (prefix "
                        + client.prefix() + ")" + (port > 0 ? ", status on http://" + http.bind() + ":" + port + "/status" : "")
                        + "; SIGTERM or Ctrl-C stops it");
                failed = awaitStop(stop.request(), kind.failure(daemon));
            } finally {
                kind.stop(daemon);
            }
        }
        return failed ? EXIT_FAILURE : EXIT_OK;
    }

    /** Blocks until a stop is requested or the daemon failed; true when it failed. */
    public static boolean awaitStop(CompletableFuture<Void> request, CompletableFuture<String> failure) throws InterruptedException {
        try {
            CompletableFuture.anyOf(request, failure).get();
        } catch (ExecutionException e) {
            // a stop request completed exceptionally is still a stop request
        }
        return failure.isDone();
    }
}
