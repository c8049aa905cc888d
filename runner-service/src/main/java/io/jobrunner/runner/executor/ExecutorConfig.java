package io.jobrunner.runner.executor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one executor block ({@code jobrunner.executors.<type>}) for a factory.
 * <ol>
 *   <li>rejects keys the kind does not know (a typo never goes unnoticed);</li>
 *   <li>reads typed values, turning every Typesafe error into a {@link ConfigException.BadValue} or
 *       {@link ConfigException.Missing} that names the full HOCON path and what is allowed;</li>
 *   <li>builds those exceptions for the factories' own checks ({@link #bad}).</li>
 * </ol>
 */
final class ExecutorConfig {

    private final Config config;
    private final String path;

    ExecutorConfig(Config config, String path) {
        this.config = config;
        this.path = path;
    }

    /** The full HOCON path of a key of this block. */
    String pathOf(String key) {
        return path + "." + ConfigUtil.joinPath(key);
    }

    String path() {
        return path;
    }

    /** Fails on a key not in {@code allowed}. */
    void requireOnly(String kind, Set<String> allowed) {
        for (String key : config.root().keySet()) {
            if (!allowed.contains(key)) {
                throw bad(key, "unknown key for an executor of kind " + kind + "; allowed keys: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    boolean has(String key) {
        return config.root().containsKey(key) && config.root().get(key).valueType() != ConfigValueType.NULL;
    }

    String requiredString(String key, String allowed) {
        if (!has(key)) {
            throw missing(key, allowed);
        }
        return string(key, allowed);
    }

    /** The string at key, or null when absent. */
    String optionalString(String key, String allowed) {
        return has(key) ? string(key, allowed) : null;
    }

    private String string(String key, String allowed) {
        ConfigValue value = config.root().get(key);
        if (!isScalar(value)) {
            throw bad(key, "expected " + allowed + ", got " + value.valueType().name().toLowerCase());
        }
        String text = String.valueOf(value.unwrapped());
        if (text.isBlank()) {
            throw bad(key, "expected " + allowed + ", got an empty string");
        }
        return text;
    }

    /** An optional list of non-empty strings (empty when absent). */
    List<String> optionalStringList(String key, String allowed) {
        return has(key) ? requiredStringList(key, allowed) : List.of();
    }

    /** A required, non-empty list of non-empty strings. */
    List<String> requiredStringList(String key, String allowed) {
        if (!has(key)) {
            throw missing(key, allowed);
        }
        ConfigValue value = config.root().get(key);
        if (value.valueType() != ConfigValueType.LIST) {
            throw bad(key, "expected " + allowed + ", got " + value.valueType().name().toLowerCase());
        }
        List<String> out = new ArrayList<>();
        for (ConfigValue item : config.getList(key)) {
            if (!isScalar(item) || String.valueOf(item.unwrapped()).isEmpty()) {
                throw bad(key, "expected " + allowed + "; item " + out.size() + " is not a non-empty string");
            }
            out.add(String.valueOf(item.unwrapped()));
        }
        if (out.isEmpty()) {
            throw bad(key, "expected " + allowed + ", got an empty list");
        }
        return List.copyOf(out);
    }

    /** An optional object of string values ({@code env { K = V }}); empty when absent. */
    Map<String, String> stringMap(String key) {
        if (!has(key)) {
            return Map.of();
        }
        ConfigValue value = config.root().get(key);
        if (!(value instanceof ConfigObject object)) {
            throw bad(key, "expected an object of string values { NAME = \"value\" }, got "
                    + value.valueType().name().toLowerCase());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            if (!isScalar(entry.getValue())) {
                throw new ConfigException.BadValue(entry.getValue().origin(),
                        pathOf(key) + "." + ConfigUtil.joinPath(entry.getKey()),
                        "expected a string, number or boolean, got "
                                + entry.getValue().valueType().name().toLowerCase());
            }
            out.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** A positive duration, or {@code fallback} when absent. */
    Duration positiveDuration(String key, Duration fallback) {
        if (!has(key)) {
            return fallback;
        }
        Duration value;
        try {
            value = config.getDuration(key);
        } catch (ConfigException e) {
            throw bad(key, "expected a duration such as 500ms, 5s or 1m");
        }
        if (value.isNegative() || value.isZero()) {
            throw bad(key, "expected a positive duration such as 500ms, 5s or 1m, got " + value);
        }
        return value;
    }

    /** A size in bytes within [min, max], or {@code fallback} when absent. */
    int bytes(String key, int fallback, int min, int max) {
        if (!has(key)) {
            return fallback;
        }
        long value;
        try {
            value = config.getBytes(key);
        } catch (ConfigException e) {
            throw bad(key, "expected a size in bytes such as 4096, 64k or 1m");
        }
        if (value < min || value > max) {
            throw bad(key, "expected a size from " + min + " to " + max + " bytes (e.g. 64k), got " + value);
        }
        return (int) value;
    }

    ConfigException.BadValue bad(String key, String message) {
        ConfigValue value = config.root().get(key);
        return new ConfigException.BadValue(value == null ? config.origin() : value.origin(), pathOf(key), message);
    }

    /** A bad value inside an object key, e.g. {@code headers.Host}. */
    ConfigException.BadValue bad(String key, String subKey, String message) {
        ConfigValue value = config.root().get(key);
        return new ConfigException.BadValue(value == null ? config.origin() : value.origin(),
                pathOf(key) + "." + ConfigUtil.joinPath(subKey), message);
    }

    ConfigException.Missing missing(String key, String allowed) {
        return new MissingKey(config, pathOf(key), allowed);
    }

    private static boolean isScalar(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> true;
            default -> false;
        };
    }

    /** {@link ConfigException.Missing} that also says what the key must hold. */
    static final class MissingKey extends ConfigException.Missing {
        private static final long serialVersionUID = 1L;

        MissingKey(Config block, String fullPath, String allowed) {
            super(block.origin(), "No configuration setting found for key '" + fullPath + "' (required: "
                    + allowed + ")", null);
        }
    }
}
