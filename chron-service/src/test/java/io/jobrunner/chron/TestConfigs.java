package io.jobrunner.chron;

import com.codahale.metrics.MetricRegistry;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.service.ConfigLoader;
import io.jobrunner.service.Limits;

import java.util.Map;

/** Chron settings and limits for tests, built from HOCON like an operator's file (so the same validation runs). */
final class TestConfigs {

    private TestConfigs() {
    }

    /** The root config with these lines (HOCON) over the defaults; the HTTP endpoint off unless the lines say otherwise. */
    static Config config(String... lines) {
        Config user = ConfigFactory.parseString(String.join("\n", lines))
                .withFallback(ConfigFactory.parseString("jobrunner.chron.http.enabled = false"));
        return ConfigLoader.fromUserConfig(user, Map.of());
    }

    static ChronSettings settings(String... chronLines) {
        return ChronSettings.from(config(prefixed(chronLines)));
    }

    static Limits limits(String... limitsLines) {
        String[] lines = new String[limitsLines.length];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "jobrunner.limits." + limitsLines[i];
        }
        return Limits.from(config(lines));
    }

    /** A chron on this client with these {@code jobrunner.chron} lines. */
    static Chron chron(JobRunnerClient client, String... chronLines) {
        return Chron.create(settings(chronLines), limits(), client, new MetricRegistry());
    }

    private static String[] prefixed(String[] chronLines) {
        String[] lines = new String[chronLines.length];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "jobrunner.chron." + chronLines[i];
        }
        return lines;
    }
}
