package io.jobrunner.mediawiki;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of one batch ({@code db}, {@code wiki}, {@code type}, {@code maxtime}, {@code maxmem}) and the two
 * template syntaxes that take them:
 * <ul>
 *   <li>{@code {name}} (argv, env, workdir) and {@code {name:u}} (URLs: {@link MwNames#rawurlencode});</li>
 *   <li>the legacy {@code %(name)x} ({@link #escapeshellarg}) and {@code %(name)u}, replaced like PHP's
 *       {@code strtr} with an array: longest key first, replaced text never re-scanned.</li>
 * </ul>
 */
public final class Placeholders {

    public static final List<String> NAMES = List.of("db", "wiki", "type", "maxtime", "maxmem");
    private static final Pattern BRACES = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern LEGACY = Pattern.compile("%\\(([^()]*)\\)([xu])");

    private final Map<String, String> values;

    private Placeholders(Map<String, String> values) {
        this.values = values;
    }

    public static Placeholders of(String db, String type, long maxtimeSeconds, String maxmem) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("db", db);
        values.put("wiki", MwNames.wikiId(db));
        values.put("type", type);
        values.put("maxtime", Long.toString(maxtimeSeconds));
        values.put("maxmem", maxmem);
        return new Placeholders(values);
    }

    /** The first {@code {...}} in {@code text} that is not a placeholder, or null. */
    public static String unknownBrace(String text) {
        Matcher m = BRACES.matcher(text);
        while (m.find()) {
            String name = m.group(1).endsWith(":u") ? m.group(1).substring(0, m.group(1).length() - 2) : m.group(1);
            if (!NAMES.contains(name)) {
                return m.group();
            }
        }
        return null;
    }

    /** The first {@code %(...)x|u} in a legacy template that is not a placeholder, or null. */
    public static String unknownLegacy(String template) {
        Matcher m = LEGACY.matcher(template);
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                return m.group();
            }
        }
        return null;
    }

    /** {@code text} with each {@code {name}} replaced by its value and {@code {name:u}} by its rawurlencoded value. */
    public String fill(String text) {
        Matcher m = BRACES.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            boolean encoded = key.endsWith(":u");
            String value = values.get(encoded ? key.substring(0, key.length() - 2) : key);
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder " + m.group() + " in '" + text + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encoded ? MwNames.rawurlencode(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The legacy template with {@code %(name)x} shell-quoted and {@code %(name)u} rawurlencoded (PHP strtr). */
    public String fillLegacy(String template) {
        Map<String, String> pairs = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            pairs.put("%(" + name + ")x", escapeshellarg(value));
            pairs.put("%(" + name + ")u", MwNames.rawurlencode(value));
        });
        List<String> keys = new ArrayList<>(pairs.keySet());
        keys.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder out = new StringBuilder();
        int i = 0;
        outer:
        while (i < template.length()) {
            for (String key : keys) {
                if (template.startsWith(key, i)) {
                    out.append(pairs.get(key));
                    i += key.length();
                    continue outer;
                }
            }
            out.append(template.charAt(i++));
        }
        return out.toString();
    }

    /** PHP {@code escapeshellarg}: single quotes around the value, each {@code '} written {@code '\''}. */
    public static String escapeshellarg(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
