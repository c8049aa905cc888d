package io.jobrunner.dashboard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.service.Durations;

import java.time.Duration;

/**
 * {@code jobrunner.dashboard}, mapped and validated at start; a bad value is a {@link ConfigException} naming the
 * path and what is allowed.
 *
 * @param bind      address to bind (loopback by default)
 * @param port      port, 0 for any free one
 * @param refresh   how often open pages update
 * @param withChron whether {@code jobrunner chron} serves the dashboard too
 * @param token     bearer token that allows actions, or empty
 * @param user      user that may act (with {@code password}), or empty
 * @param password  that user's password, or empty
 */
public record DashboardSettings(String bind, int port, Duration refresh, boolean withChron, String token, String user,
                                String password) {

    static final String PATH = "jobrunner.dashboard";
    private static final int MIN_TOKEN = 16;

    public static DashboardSettings from(Config root) {
        Config c = root.getConfig(PATH);
        int port = c.getInt("port");
        if (port < 0 || port > 65535) {
            throw bad(c, "port", "must be 0 (any free port) to 65535, was " + port);
        }
        Duration refresh = Durations.positive(root, PATH + ".refresh");
        if (refresh.toMillis() < 500) {
            throw bad(c, "refresh", "must be at least 500ms, was " + refresh.toMillis() + "ms");
        }
        String token = c.getString("auth.token");
        if (!token.isEmpty() && token.length() < MIN_TOKEN) {
            throw bad(c, "auth.token", "must be empty (no token) or at least " + MIN_TOKEN + " characters, was " + token.length());
        }
        String user = c.getString("auth.user");
        String password = c.getString("auth.password");
        if (user.isEmpty() != password.isEmpty()) {
            throw bad(c, user.isEmpty() ? "auth.user" : "auth.password",
                    "auth.user and auth.password go together: set both (basic auth and login) or neither");
        }
        if (user.contains(":")) {
            throw bad(c, "auth.user", "must not contain ':' (it separates user and password in basic auth)");
        }
        return new DashboardSettings(c.getString("bind"), port, refresh, c.getBoolean("with-chron"), token, user, password);
    }

    /** Whether anyone may act at all (else the dashboard is read-only). */
    public boolean actionsEnabled() {
        return !token.isEmpty() || !user.isEmpty();
    }

    /** The same settings on another bind address and port (command-line overrides). */
    public DashboardSettings at(String newBind, int newPort) {
        return new DashboardSettings(newBind, newPort, refresh, withChron, token, user, password);
    }

    @Override
    public String toString() { // never the secrets
        return "DashboardSettings[bind=" + bind + ", port=" + port + ", refresh=" + refresh + ", withChron=" + withChron
                + ", token=" + (token.isEmpty() ? "none" : "***") + ", user=" + (user.isEmpty() ? "none" : user) + "]";
    }

    private static ConfigException bad(Config c, String key, String message) {
        return new ConfigException.BadValue(c.origin(), PATH + "." + key, message);
    }
}
