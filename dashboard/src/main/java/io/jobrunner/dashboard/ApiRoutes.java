package io.jobrunner.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.jobrunner.client.AbandonedBulk;
import io.jobrunner.client.AbandonedFilter;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobInfo;
import io.jobrunner.client.JobPage;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.ThroughputHistory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP JSON API (every view and action of the dashboard, for scripts):
 * <pre>
 *   GET  /api/overview[?partitions=true]                 queues with counts, latency, paused; runners; chrons
 *   GET  /api/queues/{domain}/{type}[?partitions=true]   one queue's counts, latency, paused
 *   GET  /api/queues/{domain}/{type}/jobs?state=&amp;offset=&amp;limit=[&amp;partition=p]   a page of a queue's jobs in one state
 *   GET  /api/jobs/{id}[?queue=domain/type[#p]]          one job (searched in every queue without queue)
 *   GET  /api/runners                                    live runners and chrons
 *   GET  /api/history?minutes=60[&amp;type=T]               processed and failed per minute
 *   POST /api/jobs/{domain}/{type}/{id}/{delete|run-now|retry|cancel}
 *   POST /api/queues/{domain}/{type}/{pause|resume}      POST /api/types/{type}/{pause|resume}
 *   POST /api/abandoned/{retry|purge}?domain=&amp;type=&amp;error=&amp;olderThanMs=&amp;dryRun=true
 * </pre>
 * A queue is the logical {@code domain/type}: its partitions added up ({@code name}, the counts, {@code partitionCount}),
 * each partition's own summary under {@code partitions} when asked for; its jobs are paged over all its partitions
 * (one partition with {@code partition=p}); a job is found, and acted on, in whichever partition holds it.
 * Actions answer {@code {"ok":..., "message":...}} (an htmx request from a page gets the message as an HTML
 * fragment and an {@code HX-Trigger: jr-refresh} so the page updates); refused ones 403 with the reason.
 */
final class ApiRoutes {

    private final Actions actions;
    private final Auth auth;
    private final JobRunnerClient client;
    private final LogicalQueues queues;
    private final Views views;

    ApiRoutes(Actions actions, Auth auth, JobRunnerClient client, LogicalQueues queues, Views views) {
        this.actions = actions;
        this.auth = auth;
        this.client = client;
        this.queues = queues;
        this.views = views;
    }

    void register(Javalin app) {
        app.get("/api/overview", ctx -> {
            boolean withPartitions = flag(ctx, "partitions");
            ArrayNode list = JobCodec.mapper().createArrayNode();
            queues.all().forEach(q -> list.add(queue(q, withPartitions)));
            ctx.json(Map.of("queues", list, "paused", client.operations().paused(), "runners", client.presence().runners(),
                    "chrons", client.presence().chrons()));
        });
        app.get("/api/queues/{domain}/{type}", ctx -> json(ctx,
                queue(queues.one(new QueueName(ctx.pathParam("domain"), ctx.pathParam("type"))), flag(ctx, "partitions"))));
        app.get("/api/queues/{domain}/{type}/jobs", ctx -> {
            QueueName queue = new QueueName(ctx.pathParam("domain"), ctx.pathParam("type"));
            JobState state = JobState.parse(Optional.ofNullable(ctx.queryParam("state")).orElse("ready"));
            int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            int limit = intParam(ctx, "limit", Models.PAGE_SIZE, 1, 1000);
            int partition = intParam(ctx, "partition", -1, 0, QueueName.MAX_PARTITIONS - 1);
            JobPage page = partition < 0 ? client.operations().pageOfPartitions(queue, state, offset, limit)
                    : client.operations().page(queue.inPartition(partition), state, offset, limit);
            long now = client.operations().serverTime();
            ObjectNode out = JobCodec.mapper().createObjectNode().put("queue", page.queue().toString()).put("state", state.label())
                    .put("offset", offset).put("limit", limit).put("total", page.total());
            ArrayNode jobs = out.putArray("jobs");
            page.jobs().forEach(j -> jobs.add(j.toJson(now)));
            json(ctx, out);
        });
        app.get("/api/jobs/{id}", ctx -> {
            String queue = ctx.queryParam("queue");
            QueueName in = queue == null ? null : QueueName.parse(queue);
            Optional<JobInfo> job = in == null ? client.operations().find(ctx.pathParam("id"))
                    : in.partition() == 0 ? client.operations().findInPartitions(in, ctx.pathParam("id"))
                    : client.operations().find(in, ctx.pathParam("id"));
            if (job.isEmpty()) {
                error(ctx, 404, "no job " + ctx.pathParam("id") + (queue == null ? " in any queue" : " in " + queue));
                return;
            }
            json(ctx, job.get().toJson(client.operations().serverTime()));
        });
        app.get("/api/runners", ctx -> ctx.json(Map.of("runners", client.presence().runners(), "chrons", client.presence().chrons())));
        app.get("/api/history", ctx -> {
            int minutes = intParam(ctx, "minutes", 60, 1, ThroughputHistory.MINUTES_KEPT);
            String type = ctx.queryParam("type");
            Set<String> types = type == null ? client.history().types() : Set.of(type);
            ThroughputHistory.Series s = client.history().read(types, minutes);
            ctx.json(Map.of("minutes", s.minutes(), "processed", s.processed(), "failed", s.failed(),
                    "totalProcessed", s.totalProcessed(), "totalFailed", s.totalFailed()));
        });

        app.post("/api/jobs/{domain}/{type}/{id}/{action}", ctx -> act(ctx, () -> actions.onJob(
                new QueueName(ctx.pathParam("domain"), ctx.pathParam("type")), ctx.pathParam("id"), ctx.pathParam("action"))));
        app.post("/api/queues/{domain}/{type}/{action}", ctx -> act(ctx, () -> actions.pause(
                new QueueName(ctx.pathParam("domain"), ctx.pathParam("type")).toString(), pauseVerb(ctx))));
        app.post("/api/types/{type}/{action}", ctx -> act(ctx, () -> actions.pause("*/" + ctx.pathParam("type"), pauseVerb(ctx))));
        app.post("/api/abandoned/{action}", ctx -> act(ctx, () -> {
            AbandonedBulk.Action action = switch (ctx.pathParam("action")) {
                case "retry" -> AbandonedBulk.Action.RETRY;
                case "purge" -> AbandonedBulk.Action.PURGE;
                default -> throw new IllegalArgumentException("unknown bulk action '" + ctx.pathParam("action") + "'; allowed: retry, purge");
            };
            Long olderThan = param(ctx, "olderThanMs") == null ? null : Long.parseLong(param(ctx, "olderThanMs"));
            AbandonedFilter filter = new AbandonedFilter(param(ctx, "domain"), param(ctx, "type"), param(ctx, "error"),
                    olderThan == null ? null : client.operations().serverTime() - olderThan, null);
            return actions.bulk(filter, action, "true".equals(param(ctx, "dryRun")));
        }));
    }

    /** A logical queue: its partitions' sum, {@code name} and {@code partitionCount}, and the partitions when asked for. */
    private static ObjectNode queue(LogicalQueues.Logical q, boolean withPartitions) {
        ObjectNode node = JobCodec.mapper().valueToTree(q.sum());
        node.put("name", q.sum().queue().toString()).put("partitionCount", q.partitions().size());
        if (withPartitions) {
            ArrayNode partitions = node.putArray("partitions");
            for (var p : q.partitions()) {
                partitions.add(JobCodec.mapper().<ObjectNode>valueToTree(p).put("name", p.queue().toString()));
            }
        }
        return node;
    }

    private interface Act {
        Actions.Result run();
    }

    private void act(Context ctx, Act action) {
        String refusal = auth.refusal(ctx);
        if (refusal != null) {
            respond(ctx, 403, false, refusal);
            return;
        }
        Actions.Result r = action.run();
        respond(ctx, 200, r.ok(), r.message());
    }

    private void respond(Context ctx, int status, boolean ok, String message) {
        if (ctx.header("HX-Request") != null) { // htmx shows only 2xx answers: a refusal is said in the message
            ctx.status(200);
            ctx.header("HX-Trigger", "jr-refresh");
            ctx.html(views.fragment("flash", Map.of("ok", ok, "message", message)));
        } else {
            ctx.status(status);
            json(ctx, JobCodec.mapper().createObjectNode().put("ok", ok).put("message", message));
        }
    }

    private static boolean pauseVerb(Context ctx) {
        return switch (ctx.pathParam("action")) {
            case "pause" -> true;
            case "resume" -> false;
            default -> throw new IllegalArgumentException("unknown queue action '" + ctx.pathParam("action") + "'; allowed: pause, resume");
        };
    }

    /** A query or form parameter, null when absent or blank. */
    static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            v = ctx.formParam(name);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** A yes/no query or form parameter: {@code 1}, {@code true}, {@code yes} or {@code on} is yes; absent is no. */
    static boolean flag(Context ctx, String name) {
        String v = param(ctx, name);
        return v != null && Set.of("1", "true", "yes", "on").contains(v.toLowerCase(java.util.Locale.ROOT));
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = param(ctx, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", was '" + v + "'");
    }

    static void error(Context ctx, int status, String message) {
        ctx.status(status);
        json(ctx, JobCodec.mapper().createObjectNode().put("error", message));
    }

    private static void json(Context ctx, Object node) {
        ctx.contentType("application/json").result(node.toString());
    }
}
