package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.typesafe.config.Config;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.DaemonLifecycle;
import io.jobrunner.service.HttpEndpoint;
import io.jobrunner.service.Limits;

import java.util.concurrent.CompletableFuture;

/**
 * The chron as a daemon ({@link DaemonLifecycle}), for {@code jobrunner chron} and {@link ChronMain} alike: its
 * config check (the chron and limits sections and the recurring schedules), and its metrics over JMX (domain
 * {@code jobrunner.chron}) while it runs. A graceful stop stops the duties, then releases the lease so a standby
 * takes over at once.
 */
public final class ChronDaemon implements DaemonLifecycle.Kind<ChronDaemon.Running> {

    /** A started chron and its JMX reporter. */
    public record Running(Chron chron, JmxReporter jmx) {
    }

    @Override
    public String name() {
        return "chron";
    }

    @Override
    public void validate(Config config) {
        ChronSettings.from(config);
        Limits.from(config);
        Chron.schedules(config);
    }

    @Override
    public HttpEndpoint.Settings http(Config config) {
        return ChronSettings.from(config).http();
    }

    @Override
    public Running start(Config config, JobRunnerClient client, MetricRegistry metrics) {
        Chron chron = Chron.create(config, client, metrics);
        chron.start();
        JmxReporter jmx = JmxReporter.forRegistry(metrics).inDomain("jobrunner.chron").build();
        jmx.start();
        return new Running(chron, jmx);
    }

    @Override
    public CompletableFuture<String> failure(Running running) {
        return running.chron().failure();
    }

    @Override
    public void stop(Running running) {
        try {
            running.chron().stop();
        } finally {
            running.jmx().close();
        }
    }

    @Override
    public String title(Running running) {
        return "chron";
    }

    @Override
    public int httpPort(Running running) {
        return running.chron().httpPort();
    }
}
