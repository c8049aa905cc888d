package io.jobrunner.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.ProbeResult;
import io.jobrunner.service.RedisCheck;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's probes, answered as the daemons answer theirs ({@code status}, {@code reason}, {@code checks}):
 * {@code /livez} is 200 while the process serves HTTP (a Redis outage does not make it fail, so a liveness probe
 * does not restart a dashboard that would recover by itself); {@code /readyz} is 200 when Redis answers a PING,
 * else 503 saying why.
 */
final class Probes {

    private final JobRunnerClient client;

    Probes(JobRunnerClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get("/livez", ctx -> answer(ctx, ProbeResult.of("http", true, "serving")));
        app.get("/readyz", ctx -> {
            ProbeResult.Builder probe = ProbeResult.builder();
            RedisCheck.add(probe, client);
            answer(ctx, probe.build());
        });
    }

    private static void answer(Context ctx, ProbeResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.ok() ? "ok" : "failing");
        body.put("reason", result.reason());
        body.put("checks", result.checks());
        ctx.status(result.ok() ? 200 : 503).json(body);
    }
}
