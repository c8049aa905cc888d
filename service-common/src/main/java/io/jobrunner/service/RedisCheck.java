package io.jobrunner.service;

import io.jobrunner.client.JobRunnerClient;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The readiness probes' Redis check: a PING within a bound, with what went wrong when it fails. */
public final class RedisCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private RedisCheck() {
    }

    public static void add(ProbeResult.Builder probe, JobRunnerClient client) {
        long t0 = System.nanoTime();
        try {
            client.redisAsync().ping().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            probe.check("redis", true, "PONG in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            probe.check("redis", false, "unreachable: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            probe.check("redis", false, "no answer to PING within " + TIMEOUT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probe.check("redis", false, "interrupted while waiting for PING");
        }
    }
}
