package io.jobrunner.runner;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of job type names and globs ({@code *} matches any run of characters, e.g. {@code html*}),
 * as written in a group's {@code include}, {@code exclude} and {@code low-priority}.
 * <ol>
 *   <li>validates each entry when read: 1 to 128 characters of {@code A-Z a-z 0-9 _ . -} and {@code *};</li>
 *   <li>tells whether a type matches any entry.</li>
 * </ol>
 */
public final class TypePatterns {

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_.*-]{1,128}");

    private final List<String> patterns;
    private final List<Pattern> compiled;

    private TypePatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.compiled = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            compiled.add(Pattern.compile(toRegex(p)));
        }
    }

    /** Patterns from code; each must be well-formed. */
    public static TypePatterns of(List<String> patterns) {
        for (String p : patterns) {
            if (p == null || !SYNTAX.matcher(p).matches()) {
                throw new IllegalArgumentException("'" + p + "' is not a job type name or glob (1 to 128 of A-Z a-z 0-9 _ . - and *)");
            }
        }
        return new TypePatterns(patterns);
    }

    /** Reads the string list at {@code path} of {@code root}; a malformed entry fails with the path and what is allowed. */
    static TypePatterns read(Config root, String path) {
        List<String> values = root.getStringList(path);
        List<? extends ConfigValue> raw = root.getList(path);
        for (int i = 0; i < values.size(); i++) {
            String p = values.get(i);
            if (!SYNTAX.matcher(p).matches()) {
                throw new ConfigException.BadValue(raw.get(i).origin(), path,
                        "entry " + i + " '" + p + "' is not a job type name or glob: allowed are 1 to 128 characters of "
                                + "A-Z a-z 0-9 _ . - and * (any run of characters), e.g. \"sendMail\" or \"html*\"");
            }
        }
        return new TypePatterns(values);
    }

    public boolean matches(String type) {
        for (Pattern p : compiled) {
            if (p.matcher(type).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The entries as written. */
    public List<String> patterns() {
        return patterns;
    }

    /** The entries without a {@code *}: exact type names. */
    public List<String> exactNames() {
        return patterns.stream().filter(p -> p.indexOf('*') < 0).toList();
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        String[] parts = glob.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        return regex.toString();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
