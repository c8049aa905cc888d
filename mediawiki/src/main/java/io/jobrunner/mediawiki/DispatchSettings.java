package io.jobrunner.mediawiki;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code jobrunner.mediawiki.dispatch}: how one batch of one {@code (wiki, type)} queue runs.
 *
 * @param kind              command (argv, no shell), shell (the legacy template through {@code /bin/sh -c}) or http
 * @param maxtimeHigh       {@code --maxtime} of a batch of a high-class type, whole seconds
 * @param maxtimeLow        {@code --maxtime} of a batch of a low-class type, whole seconds
 * @param parallelThreshold a queue gets another concurrent batch only when ready > running batches x this
 */
public record DispatchSettings(Kind kind, List<String> argv, Map<String, String> env, String workdir, String shellTemplate,
                               String url, Map<String, String> headers, int maxOutput, Duration stopGrace,
                               long maxtimeHigh, long maxtimeLow, boolean checkReady, int parallelThreshold) {

    static final String PATH = MwSettings.PATH + ".dispatch";

    /** The dispatch kinds. */
    public enum Kind { COMMAND, SHELL, HTTP }

    public DispatchSettings {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        headers = Map.copyOf(headers);
    }

    static DispatchSettings from(Config root) {
        Config c = root.getConfig(PATH);
        String kindName = c.getString("kind");
        Kind kind;
        try {
            kind = Kind.valueOf(kindName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(c, "kind", "must be command, shell or http, was '" + kindName + "'");
        }
        List<String> argv = c.getStringList("argv");
        Map<String, String> env = strings(c, "env");
        String workdir = c.getString("workdir");
        String shellTemplate = c.getString("shell-template");
        String url = c.getString("url");
        Map<String, String> headers = strings(c, "headers");
        switch (kind) {
            case COMMAND -> {
                if (argv.isEmpty() || argv.get(0).isBlank()) {
                    throw bad(c, "argv", "must name a program when kind = command, e.g. [\"php\", \"/usr/share/mediawiki/maintenance/runJobs.php\", ...]");
                }
                for (String arg : argv) {
                    requireKnown(c, "argv", arg);
                }
                env.forEach((name, value) -> requireKnown(c, "env", value));
                requireKnown(c, "workdir", workdir);
            }
            case SHELL -> {
                if (shellTemplate.isBlank()) {
                    throw bad(c, "shell-template", "must be set when kind = shell (the legacy dispatcher string)");
                }
                String unknown = Placeholders.unknownLegacy(shellTemplate);
                if (unknown != null) {
                    throw bad(c, "shell-template", "has the unknown placeholder " + unknown + "; known: %(db)x %(wiki)x %(type)x %(maxtime)x %(maxmem)x and their u forms");
                }
                env.forEach((name, value) -> requireKnown(c, "env", value));
                requireKnown(c, "workdir", workdir);
            }
            case HTTP -> {
                if (!url.matches("https?://.+")) {
                    throw bad(c, "url", "must be an http:// or https:// URL when kind = http, was '" + url + "'");
                }
                requireKnown(c, "url", url);
                headers.forEach((name, value) -> requireKnown(c, "headers", value));
            }
            default -> throw new IllegalStateException();
        }
        long maxOutput = c.getBytes("max-output");
        if (maxOutput < 1024 || maxOutput > 16L * 1024 * 1024) {
            throw bad(c, "max-output", "must be 1k to 16M, was " + maxOutput);
        }
        Duration stopGrace = c.getDuration("stop-grace");
        if (stopGrace.isNegative()) {
            throw bad(c, "stop-grace", "must not be negative");
        }
        int threshold = c.getInt("parallel-threshold");
        if (threshold < 1) {
            throw bad(c, "parallel-threshold", "must be at least 1, was " + threshold);
        }
        return new DispatchSettings(kind, argv, env, workdir, shellTemplate, url, headers, (int) maxOutput, stopGrace,
                maxtime(c, "maxtime.high"), maxtime(c, "maxtime.low"), c.getBoolean("check-ready"), threshold);
    }

    public long largestMaxtime() {
        return Math.max(maxtimeHigh, maxtimeLow);
    }

    private static long maxtime(Config c, String key) {
        Duration d = c.getDuration(key);
        if (d.toMillis() % 1000 != 0 || d.toSeconds() < 1) {
            throw bad(c, key, "must be whole seconds, at least 1s (runJobs.php --maxtime), was " + d);
        }
        return d.toSeconds();
    }

    private static void requireKnown(Config c, String key, String text) {
        String unknown = Placeholders.unknownBrace(text);
        if (unknown != null) {
            throw bad(c, key, "has the unknown placeholder " + unknown + " in '" + text + "'; known: {db} {wiki} {type} {maxtime} {maxmem} (and {name:u} URL-encoded)");
        }
    }

    private static Map<String, String> strings(Config c, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Config section = c.getConfig(key);
        for (String name : c.getObject(key).keySet()) {
            try {
                out.put(name, section.getString(com.typesafe.config.ConfigUtil.joinPath(name)));
            } catch (ConfigException.WrongType e) {
                throw bad(c, key + "." + name, "must be a string");
            }
        }
        return out;
    }

    private static ConfigException bad(Config c, String key, String message) {
        return new ConfigException.BadValue(c.hasPath(key) ? c.getValue(key).origin() : c.origin(), PATH + "." + key, message);
    }
}
