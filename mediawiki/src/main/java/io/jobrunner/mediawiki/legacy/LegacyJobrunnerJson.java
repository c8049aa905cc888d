package io.jobrunner.mediawiki.legacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The PHP services' {@code jobrunner.json}, read as it is (comments, escaped slashes and all), validated as PHP
 * did, and converted to the equivalent HOCON ({@link LegacyConversion}): what {@code jobrunner mediawiki
 * convert-config} prints and what the daemons run on when given the file. Errors name the legacy path
 * ({@code groups.basic.runners}) and become exit 2.
 */
public final class LegacyJobrunnerJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN = Set.of("groups", "limits", "redis", "dispatcher", "statsd");

    /** The result: the HOCON text (with a comment per converted key) and the warnings. */
    public record Converted(String hocon, List<String> warnings) {

        /** The HOCON parsed, as the operator's config (layer it over the defaults). */
        public Config config(String originDescription) {
            return ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription(originDescription));
        }
    }

    private LegacyJobrunnerJson() {
    }

    public static boolean isLegacyFile(Path file) {
        return file != null && file.getFileName().toString().endsWith(".json");
    }

    public static Converted read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException.IO(origin(file), "cannot read legacy config " + file + ": " + e.getMessage());
        }
        return convert(text, file);
    }

    static Converted convert(String text, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(JsonWithComments.strip(text));
        } catch (JsonProcessingException e) {
            throw bad(file, "(file)", "is not JSON with // comments: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "(file)", "must hold one JSON object");
        }
        List<String> warnings = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!KNOWN.contains(name)) {
                warnings.add("unknown top-level key '" + name + "' ignored (as the PHP services did)");
            }
        });
        JsonNode redis = root.path("redis");
        requireNonEmptyList(file, redis, "redis.queues");
        requireNonEmptyList(file, redis, "redis.aggregators");
        JsonNode dispatcher = root.path("dispatcher");
        if (!dispatcher.isTextual() || dispatcher.asText().isBlank()) {
            throw bad(file, "dispatcher", "must be a non-empty string (the command that runs one batch)");
        }
        JsonNode groups = root.path("groups");
        if (!groups.isObject() || groups.isEmpty()) {
            throw bad(file, "groups", "must be an object of groups, each with an integer 'runners'");
        }
        groups.fields().forEachRemaining(g -> {
            String path = "groups." + g.getKey();
            if (!g.getValue().isObject()) {
                throw bad(file, path, "must be an object with 'runners'");
            }
            JsonNode runners = g.getValue().path("runners");
            if (!runners.isIntegralNumber() || runners.asLong() < 0 || runners.asLong() > 10_000) {
                throw bad(file, path + ".runners", "must be a JSON integer 0 to 10000 (0 disables the group), was " + runners);
            }
            for (String list : List.of("include", "exclude", "low-priority")) {
                JsonNode value = g.getValue().get(list);
                if (value != null && (!value.isArray() || !allText(value))) {
                    throw bad(file, path + "." + list, "must be an array of job type names, was " + value);
                }
            }
        });
        try {
            return new LegacyConversion(root, warnings).convert();
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':'))), e.getMessage().substring(e.getMessage().indexOf(':') + 2));
        }
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void requireNonEmptyList(Path file, JsonNode redis, String path) {
        JsonNode list = redis.path(path.substring("redis.".length()));
        if (!list.isArray() || list.isEmpty() || !allText(list)) {
            throw bad(file, path, "must be a non-empty array of \"host[:port]\" strings");
        }
    }

    private static ConfigOrigin origin(Path file) {
        return ConfigOriginFactory.newFile(file == null ? "jobrunner.json" : file.toString());
    }

    static ConfigException bad(Path file, String path, String message) {
        return new ConfigException.BadValue(origin(file), path, message + " (legacy jobrunner.json)");
    }
}
