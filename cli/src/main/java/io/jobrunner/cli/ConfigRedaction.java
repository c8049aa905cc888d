package io.jobrunner.cli;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.jobrunner.client.JobRunnerClient;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code check-config} prints in place of secrets, decided by key name, since a config cannot say which of its
 * strings are secret: every value under a key whose name contains {@code password}, {@code token}, {@code secret},
 * {@code authorization}, {@code credential} or {@code passphrase} (any case), every value of a key ending in
 * {@code -env} and of a command's {@code env} block is shown as {@value #REDACTED}; the password of any URI
 * ({@code scheme://user:password@host}) is masked wherever it appears.
 */
final class ConfigRedaction {

    static final String REDACTED = "<redacted>";
    private static final Pattern SECRET_KEY = Pattern.compile(".*(password|token|secret|authorization|credential|passphrase).*");

    private ConfigRedaction() {
    }

    /** The object with its secrets redacted. */
    static ConfigObject redact(ConfigObject object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            out.put(e.getKey(), redact(e.getKey(), e.getValue()));
        }
        return ConfigValueFactory.fromMap(out, object.origin().description());
    }

    private static ConfigValue redact(String key, ConfigValue value) {
        String name = key.toLowerCase(Locale.ROOT);
        if (SECRET_KEY.matcher(name).matches() || name.endsWith("-env") || name.equals("env")) {
            return everyLeaf(value);
        }
        if (value.valueType() == ConfigValueType.OBJECT) {
            return redact((ConfigObject) value);
        }
        if (value.valueType() == ConfigValueType.STRING) {
            String text = (String) value.unwrapped();
            String masked = JobRunnerClient.maskPassword(text);
            return masked.equals(text) ? value : ConfigValueFactory.fromAnyRef(masked, "masked");
        }
        return value;
    }

    /** The value with every leaf (a whole block's values, a list's items) replaced, keeping its keys. */
    private static ConfigValue everyLeaf(ConfigValue value) {
        if (value.valueType() == ConfigValueType.OBJECT) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((ConfigObject) value).forEach((k, v) -> out.put(k, everyLeaf(v)));
            return ConfigValueFactory.fromMap(out, "redacted");
        }
        return ConfigValueFactory.fromAnyRef(REDACTED, "redacted");
    }
}
