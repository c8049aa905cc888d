package io.jobrunner.dashboard;

import io.javalin.http.Context;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may act, and proof that an action was meant. Reading is open (to whoever reaches the bind address); every
 * action (a POST) needs all of:
 * <ol>
 *   <li>a same-origin request: an {@code Origin} header, when the browser sends one, must name this host;</li>
 *   <li>credentials: {@code Authorization: Bearer <token>}, or {@code Basic} with the configured user and password
 *       (API clients), or the session cookie of a person who logged in with either;</li>
 *   <li>with the session cookie, which a browser sends by itself, the session's CSRF token in the
 *       {@code X-CSRF-Token} header or the {@code csrf} form field.</li>
 * </ol>
 * Without a configured token or user nothing can act: the dashboard is read-only. Secrets are compared in constant
 * time and never logged or shown. Sessions live in this process's memory for 12 hours (a restart logs people out).
 */
final class Auth {

    static final String COOKIE = "jr_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Duration SESSION_TTL = Duration.ofHours(12);

    /** A logged-in person: who, the CSRF token of the session, when it ends (nanoTime). */
    record Session(String who, String csrf, long endsNanos) {
    }

    private final DashboardSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Auth(DashboardSettings settings) {
        this.settings = settings;
    }

    boolean actionsEnabled() {
        return settings.actionsEnabled();
    }

    /** The request's session, or null. */
    Session session(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s != null && s.endsNanos() - System.nanoTime() < 0) {
            sessions.remove(id);
            return null;
        }
        return s;
    }

    /** Logs a person in with a token, or a user and password; false when they are wrong. */
    boolean login(Context ctx, String token, String user, String password) {
        String who = null;
        if (token != null && !token.isEmpty() && matches(settings.token(), token)) {
            who = "token";
        } else if (user != null && !user.isEmpty() && matches(settings.user(), user) && matches(settings.password(), password)) {
            who = user;
        }
        if (who == null) {
            return false;
        }
        String id = randomToken();
        sessions.put(id, new Session(who, randomToken(), System.nanoTime() + SESSION_TTL.toNanos()));
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION_TTL.toSeconds());
        return true;
    }

    void logout(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null) {
            sessions.remove(id);
        }
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /** Null when the request may act; else why not (for a 403). */
    String refusal(Context ctx) {
        if (!settings.actionsEnabled()) {
            return "the dashboard is read-only: set jobrunner.dashboard.auth.token or auth.user and auth.password to allow actions";
        }
        if (!sameOrigin(ctx)) {
            return "cross-origin request refused";
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            return headerCredentialsOk(authorization) ? null : "wrong credentials";
        }
        Session s = session(ctx);
        if (s == null) {
            return "log in first (or send Authorization: Bearer <token>)";
        }
        String csrf = ctx.header(CSRF_HEADER);
        if (csrf == null) {
            csrf = ctx.formParam("csrf");
        }
        return csrf != null && matches(s.csrf(), csrf) ? null : "missing or wrong CSRF token";
    }

    /** A POST to the login form must come from this site too. */
    boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.equals("null")) {
            return origin == null; // "null": a sandboxed or privacy-stripped origin, not ours
        }
        try {
            URI o = URI.create(origin);
            String host = ctx.header("Host");
            String originHost = o.getHost() + (o.getPort() < 0 ? "" : ":" + o.getPort());
            return host != null && host.equalsIgnoreCase(originHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean headerCredentialsOk(String authorization) {
        if (authorization.startsWith("Bearer ")) {
            return !settings.token().isEmpty() && matches(settings.token(), authorization.substring(7).trim());
        }
        if (authorization.startsWith("Basic ") && !settings.user().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = decoded.indexOf(':');
            return colon > 0 && matches(settings.user(), decoded.substring(0, colon))
                    & matches(settings.password(), decoded.substring(colon + 1));
        }
        return false;
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean matches(String expected, String given) {
        if (expected.isEmpty() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
