package io.jobrunner.mediawiki.legacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One validated legacy config to HOCON text, key by key (the PHP defaults made explicit): groups to runner
 * groups, limits to {@code jobrunner.mediawiki.limits}, Redis hosts to URIs, the dispatcher to a dispatch kind.
 * Each converted key gets a comment; each correction is a warning (in the text and returned).
 */
final class LegacyConversion {

    static final long DEFAULT_MAXTIME_HIGH = 30;
    static final long DEFAULT_MAXTIME_LOW = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final List<String> warnings;
    private final StringBuilder out = new StringBuilder();

    LegacyConversion(JsonNode root, List<String> warnings) {
        this.root = root;
        this.warnings = warnings;
    }

    LegacyJobrunnerJson.Converted convert() {
        List<String> queues = uris(root.path("redis").path("queues"), "redis.queues");
        List<String> aggregators = uris(root.path("redis").path("aggregators"), "redis.aggregators");
        line(0, "# Converted from a legacy jobrunner.json by jobrunner mediawiki convert-config.");
        line(0, "jobrunner {");
        line(1, "mode = mediawiki");
        line(1, "# the first of redis.queues");
        line(1, "redis.uri = " + q(queues.get(0)));
        line(1, "runner {");
        line(2, "# long enough to see many batches, and to let running batches end on shutdown");
        line(2, "share-window = 10m");
        line(2, "shutdown-grace = 75s");
        line(2, "groups {");
        groups();
        line(2, "}");
        line(1, "}");
        line(1, "mediawiki {");
        line(2, "queues = " + list(queues));
        line(2, "aggregators = " + list(aggregators));
        dispatch();
        limits();
        if (root.hasNonNull("statsd")) {
            warnings.add("statsd '" + root.get("statsd").asText() + "' is not converted: jobrunner publishes metrics on /metrics and JMX");
            line(2, "# statsd = " + q(root.get("statsd").asText()) + " (not supported: use /metrics)");
        }
        line(1, "}");
        line(0, "}");
        StringBuilder text = new StringBuilder();
        for (String w : warnings) {
            text.append("# WARN ").append(w.replace('\n', ' ')).append('\n');
        }
        return new LegacyJobrunnerJson.Converted(text.append(out).toString(), List.copyOf(warnings));
    }

    private void groups() {
        Set<String> used = new HashSet<>();
        root.path("groups").fields().forEachRemaining(e -> {
            String name = sanitize(e.getKey(), used);
            JsonNode g = e.getValue();
            List<String> include = strings(g.path("include"));
            List<String> exclude = strings(g.path("exclude"));
            List<String> low = strings(g.path("low-priority"));
            long slots = g.path("runners").asLong();
            List<String> types;
            String note = "";
            if (include.contains("*")) {
                types = List.of("*");
            } else {
                Set<String> union = new LinkedHashSet<>(include);
                union.addAll(low);
                types = new ArrayList<>(union);
            }
            if (types.isEmpty()) {
                types = List.of("*");
                slots = 0;
                note = " # neither include nor low-priority: it never ran anything, kept disabled";
            }
            StringBuilder b = new StringBuilder(q(name) + " { slots = " + slots + ", types = " + list(types));
            if (!exclude.isEmpty()) {
                b.append(", exclude = ").append(list(exclude));
            }
            if (!low.isEmpty()) {
                b.append(", low-priority = ").append(list(low)).append(", high-share = 0.8");
            }
            line(3, "# groups." + e.getKey() + ": runners -> slots, include (plus low-priority) -> types");
            line(3, b.append(" }").append(note).toString());
        });
    }

    private String sanitize(String raw, Set<String> used) {
        String base = raw.replaceAll("[^A-Za-z0-9_-]", "_");
        if (base.isEmpty()) {
            base = "group";
        }
        base = base.length() > 60 ? base.substring(0, 60) : base;
        String name = base;
        for (int n = 2; !used.add(name); n++) {
            name = base + "-" + n;
        }
        if (!name.equals(raw)) {
            warnings.add("group '" + raw + "' is named '" + name + "' (group names are A-Z a-z 0-9 _ -, unique)");
        }
        return name;
    }

    private void dispatch() {
        String dispatcher = root.path("dispatcher").asText();
        LegacyDispatcher d = LegacyDispatcher.of(dispatcher);
        line(2, "# dispatcher: " + (d.isCommand() ? "only split by the shell, so run as an argv without a shell"
                : "uses shell syntax or %(...)u, so run through /bin/sh -c as before"));
        if (d.isCommand()) {
            line(2, "dispatch { kind = command, argv = " + list(d.argv()) + " }");
        } else {
            line(2, "dispatch { kind = shell, shell-template = " + q(dispatcher) + " }");
        }
    }

    private void limits() {
        JsonNode limits = root.path("limits");
        long floor = 2 * Math.max(DEFAULT_MAXTIME_HIGH, DEFAULT_MAXTIME_LOW);
        Map<String, String> attempts = perType(limits.path("attempts"), "limits.attempts", "3", true);
        Map<String, String> claimTtl = perType(limits.path("claimTTL"), "limits.claimTTL", "3600", true);
        Map<String, String> real = limits.has("real") ? perType(limits.path("real"), "limits.real", "3600", true)
                : perType(JSON.createObjectNode(), "limits.real", "3600", true);
        Map<String, String> memory = perType(limits.path("memory"), "limits.memory", "300M", false);
        real.replaceAll((type, value) -> {
            long seconds = Long.parseLong(value);
            if (seconds < floor) {
                warnings.add("limits.real." + type + " = " + seconds + " raised to " + floor + "s (2 x the largest maxtime; PHP clamped it silently)");
                return Long.toString(floor);
            }
            return value;
        });
        line(2, "limits {");
        line(3, "attempts { " + entries(attempts, "") + " }");
        line(3, "claim-ttl { " + entries(claimTtl, "s") + " }");
        line(3, "process-timeout { " + entries(real, "s") + " }");
        line(3, "memory { " + entries(memory, null) + " }");
        line(2, "}");
    }

    /** PHP's merge: the file's entries over {@code "*" = fallback}; numbers or numeric strings when {@code numeric}. */
    private Map<String, String> perType(JsonNode node, String path, String fallback, boolean numeric) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("*", fallback);
        if (node.isMissingNode() || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + ": must be an object of job type -> value");
        }
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            String text = v.isNumber() ? v.asText() : v.isTextual() ? v.asText().trim() : null;
            if (text == null || numeric && !text.matches("[0-9]+")) {
                throw new IllegalArgumentException(path + "." + e.getKey() + ": must be a whole number" + (numeric ? "" : " or a string") + ", was " + v);
            }
            values.put(e.getKey(), text);
        });
        return values;
    }

    private List<String> uris(JsonNode hosts, String path) {
        String password = root.path("redis").path("password").isTextual() ? root.path("redis").path("password").asText() : null;
        String userinfo = password == null || password.isEmpty() ? ""
                : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20") + "@";
        List<String> out = new ArrayList<>();
        for (JsonNode host : hosts) {
            String h = host.asText().trim();
            String address;
            if (h.startsWith("[")) {
                int close = h.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException(path + ": '" + h + "' opens an IPv6 address without closing it");
                }
                String port = h.substring(close + 1);
                address = h.substring(0, close + 1) + (port.isEmpty() ? ":6379" : port);
            } else if (h.chars().filter(c -> c == ':').count() > 1) {
                address = "[" + h + "]:6379"; // a bare IPv6 address
            } else {
                address = h.contains(":") ? h : h + ":6379";
            }
            if (!address.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+):[0-9]{1,5}")) {
                throw new IllegalArgumentException(path + ": '" + h + "' is not host, host:port, [v6] or [v6]:port");
            }
            out.add("redis://" + userinfo + address);
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String entries(Map<String, String> values, String unit) {
        List<String> parts = new ArrayList<>();
        values.forEach((type, v) -> parts.add(q(type) + " = " + (unit == null ? q(v) : v + unit)));
        return String.join(", ", parts);
    }

    private static String list(List<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(q(v)));
        return "[" + String.join(", ", quoted) + "]";
    }

    private static String q(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void line(int indent, String text) {
        out.append("  ".repeat(indent)).append(text).append('\n');
    }
}
