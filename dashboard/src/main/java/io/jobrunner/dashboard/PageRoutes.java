package io.jobrunner.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.jobrunner.client.JobState;
import io.jobrunner.client.QueueName;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages: {@code /} (overview), {@code /queues/{domain}/{type}}, {@code /jobs/{domain}/{type}/{id}}
 * ({@code /find?id=} looks a job up in every queue), {@code /abandoned}, {@code /runners}, and {@code /login}. With
 * {@code ?live=1} a page answers only its live part, which it re-fetches every refresh interval and after each action
 * (htmx), so numbers move without a reload. A queue is the logical {@code domain/type} over all its partitions:
 * {@code ?partitions=1} adds a row per partition (overview, queue page), {@code ?partition=p} lists one partition's
 * jobs, and a job's page finds it in whichever partition holds it.
 */
final class PageRoutes {

    private final Views views;
    private final Models models;
    private final Auth auth;

    PageRoutes(Views views, Models models, Auth auth) {
        this.views = views;
        this.models = models;
        this.auth = auth;
    }

    void register(Javalin app) {
        app.get("/", ctx -> show(ctx, "overview", "Overview", models.overview(ApiRoutes.flag(ctx, "partitions"))));
        app.get("/queues/{domain}/{type}", ctx -> {
            QueueName queue = new QueueName(ctx.pathParam("domain"), ctx.pathParam("type"));
            JobState state = JobState.parse(Optional.ofNullable(ApiRoutes.param(ctx, "state")).orElse("ready"));
            int offset = ApiRoutes.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
            int partition = ApiRoutes.intParam(ctx, "partition", -1, 0, QueueName.MAX_PARTITIONS - 1);
            show(ctx, "queue", "Queue " + queue, models.queue(queue, state, offset, partition, ApiRoutes.flag(ctx, "partitions")));
        });
        app.get("/jobs/{domain}/{type}/{id}", ctx -> {
            QueueName queue = new QueueName(ctx.pathParam("domain"), ctx.pathParam("type"));
            Optional<Map<String, Object>> found = models.job(queue, ctx.pathParam("id"));
            Map<String, Object> model = new HashMap<>(found.orElse(Map.of()));
            model.put("id", ctx.pathParam("id"));
            model.put("queueName", found.map(m -> ((Models.JobRow) m.get("job")).queue()).orElse(queue.toString()));
            model.put("domain", queue.domain());
            model.put("type", queue.type());
            show(ctx, "job", "Job " + ctx.pathParam("id"), model);
        });
        app.get("/find", ctx -> {
            String id = ApiRoutes.param(ctx, "id");
            Optional<QueueName> queue = id == null ? Optional.empty() : models.locate(id);
            if (queue.isPresent()) {
                ctx.redirect("/jobs/" + queue.get().domain() + "/" + queue.get().type() + "/"
                        + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            ctx.status(404);
            show(ctx, "notfound", "No such job", Map.of("id", id == null ? "" : id));
        });
        app.get("/abandoned", ctx -> show(ctx, "abandoned", "Abandoned jobs",
                models.abandoned(ApiRoutes.param(ctx, "domain"), ApiRoutes.param(ctx, "type"), ApiRoutes.param(ctx, "error"))));
        app.get("/runners", ctx -> show(ctx, "runners", "Runners", models.runners()));
        app.get("/login", ctx -> show(ctx, "login", "Log in", Map.of("failed", false)));
        app.post("/login", this::login);
        app.post("/logout", ctx -> {
            if (auth.sameOrigin(ctx)) {
                auth.logout(ctx);
            }
            ctx.redirect("/");
        });
    }

    private void login(Context ctx) {
        if (!auth.sameOrigin(ctx)) {
            ApiRoutes.error(ctx, 403, "cross-origin request refused");
            return;
        }
        if (auth.login(ctx, ctx.formParam("token"), ctx.formParam("user"), ctx.formParam("password"))) {
            ctx.redirect("/");
            return;
        }
        ctx.status(401);
        show(ctx, "login", "Log in", Map.of("failed", true));
    }

    private void show(Context ctx, String page, String title, Map<String, Object> model) {
        Map<String, Object> m = new HashMap<>(model);
        Auth.Session session = auth.session(ctx);
        m.put("title", title);
        m.put("page", page);
        m.put("actionsEnabled", auth.actionsEnabled());
        m.put("loggedIn", session != null);
        m.put("who", session == null ? "" : session.who());
        m.put("csrf", session == null ? "" : session.csrf());
        m.put("liveUrl", ctx.path() + "?" + (ctx.queryString() == null ? "" : ctx.queryString().replaceAll("(^|&)live=1", "") + "&") + "live=1");
        m.put("query", ctx.queryString() == null ? "" : ctx.queryString());
        boolean live = "1".equals(ctx.queryParam("live"));
        ctx.html(live ? views.live(page, m) : views.page(page, m));
    }
}
