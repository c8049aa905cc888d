package io.jobrunner.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.jobrunner.client.JobQueueException;
import io.jobrunner.client.JobRunnerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The web dashboard and its HTTP JSON API, on Javalin (Jetty), reading and acting on Redis through the client:
 * <ol>
 *   <li>pages ({@link PageRoutes}): overview, a queue, a job, abandoned jobs, runners; each re-fetches its live part
 *       every {@code refresh} (htmx), charts from the history (Chart.js), both served from webjars; a queue is the
 *       logical {@code domain/type}, its partitions added up and shown on request ({@link LogicalQueues});</li>
 *   <li>the JSON API under {@code /api} ({@link ApiRoutes}): the same views, and the actions;</li>
 *   <li>{@code /livez} and {@code /readyz} ({@link Probes}) for a container's or Kubernetes' probes;</li>
 *   <li>safety: binds loopback by default, actions only with credentials and CSRF proof ({@link Auth}), security
 *       headers (a Content-Security-Policy that allows only this origin's scripts, no framing, no sniffing).</li>
 * </ol>
 * Any number of dashboards may run against one Redis: they keep nothing but login sessions.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final Javalin app;
    private final DashboardSettings settings;

    private Dashboard(Javalin app, DashboardSettings settings) {
        this.app = app;
        this.settings = settings;
    }

    /** Starts serving on the configured bind and port; throws when the port is taken. The client stays the caller's. */
    public static Dashboard start(DashboardSettings settings, JobRunnerClient client) {
        Auth auth = new Auth(settings);
        Views views = new Views(settings);
        LogicalQueues queues = new LogicalQueues(client);
        Models models = new Models(client, queues);
        Actions actions = new Actions(client);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.enableWebjars();
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/io/jobrunner/dashboard/static";
                files.location = Location.CLASSPATH;
            });
        });
        app.before(Dashboard::securityHeaders);
        new PageRoutes(views, models, auth).register(app);
        new ApiRoutes(actions, auth, client, queues, views).register(app);
        new Probes(client).register(app);
        app.exception(IllegalArgumentException.class, (e, ctx) -> ApiRoutes.error(ctx, 400, e.getMessage()));
        app.exception(JobQueueException.class, (e, ctx) -> {
            log.warn("dashboard: {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ApiRoutes.error(ctx, 503, "Redis: " + e.getMessage());
        });
        app.start(settings.bind(), settings.port());
        Dashboard dashboard = new Dashboard(app, settings);
        log.info("dashboard at {} ({})", dashboard.url(), settings.actionsEnabled() ? "actions need a login or credentials" : "read-only");
        if (!isLoopback(settings.bind())) {
            log.warn("dashboard bound to {}: anyone who reaches it can read every job; protect it with a firewall or a TLS proxy",
                    settings.bind());
        }
        return dashboard;
    }

    public int port() {
        return app.port();
    }

    /** The address to open, e.g. {@code http://127.0.0.1:9330/}. */
    public String url() {
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port() + "/";
    }

    public boolean readOnly() {
        return !settings.actionsEnabled();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
