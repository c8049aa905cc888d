package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Rejects keys in the operator's config that no {@code reference.conf} defines, with the path and the keys
 * allowed there. Some objects are open maps whose keys the operator names (job types, group names); their
 * entries are checked against a template object of the reference, or left to the section that maps them.
 */
final class UnknownKeys {

    /** Open map path to the reference path of the template its entries follow ("" = the owning section checks them). */
    private static final Map<String, String> OPEN_MAPS = Map.ofEntries(
            Map.entry("jobrunner.redis.partitions", ""),
            Map.entry("jobrunner.limits.attempts", ""),
            Map.entry("jobrunner.limits.claim-ttl", ""),
            Map.entry("jobrunner.limits.timeout", ""),
            Map.entry("jobrunner.limits.expire-after", ""),
            Map.entry("jobrunner.limits.backoff", "jobrunner.limits.backoff.\"*\""),
            Map.entry("jobrunner.runner.groups", "jobrunner.runner.group-defaults"),
            Map.entry("jobrunner.runner.concurrency.per-type", ""),
            Map.entry("jobrunner.runner.concurrency.per-domain", ""),
            Map.entry("jobrunner.runner.concurrency.cluster-per-type", ""),
            Map.entry("jobrunner.runner.concurrency.cluster-per-domain", ""),
            Map.entry("jobrunner.runner.rate-limits.per-type", ""),
            Map.entry("jobrunner.runner.rate-limits.per-domain", ""),
            Map.entry("jobrunner.runner.rate-limits.per-queue", ""),
            Map.entry("jobrunner.executors", ""),
            Map.entry("jobrunner.schedules", ""),
            Map.entry("jobrunner.mediawiki.limits.attempts", ""),
            Map.entry("jobrunner.mediawiki.limits.claim-ttl", ""),
            Map.entry("jobrunner.mediawiki.limits.process-timeout", ""),
            Map.entry("jobrunner.mediawiki.limits.memory", ""),
            Map.entry("jobrunner.mediawiki.dispatch.env", ""),
            Map.entry("jobrunner.mediawiki.dispatch.headers", ""));

    private final Config reference;

    private UnknownKeys(Config reference) {
        this.reference = reference;
    }

    static void reject(Config user, Config reference) {
        new UnknownKeys(reference).check(user.root(), reference.root(), List.of());
    }

    private void check(ConfigObject user, ConfigObject allowed, List<String> at) {
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            List<String> path = append(at, entry.getKey());
            String pathText = ConfigUtil.joinPath(path);
            ConfigValue allowedValue = allowed.get(entry.getKey());
            if (allowedValue == null) {
                throw new ConfigException.BadValue(entry.getValue().origin(), pathText,
                        "unknown key; allowed here: " + String.join(", ", new TreeSet<>(allowed.keySet())));
            }
            String template = OPEN_MAPS.get(pathText);
            if (template != null) {
                checkOpenMap(entry.getValue(), template, path);
            } else if (entry.getValue().valueType() == ConfigValueType.OBJECT && allowedValue.valueType() == ConfigValueType.OBJECT) {
                check((ConfigObject) entry.getValue(), (ConfigObject) allowedValue, path);
            }
        }
    }

    private void checkOpenMap(ConfigValue value, String template, List<String> path) {
        if (template.isEmpty() || value.valueType() != ConfigValueType.OBJECT || !reference.hasPath(template)) {
            return; // the owning section validates the entries
        }
        ConfigObject templateObject = reference.getObject(template);
        for (Map.Entry<String, ConfigValue> entry : ((ConfigObject) value).entrySet()) {
            if (entry.getValue().valueType() == ConfigValueType.OBJECT) {
                check((ConfigObject) entry.getValue(), templateObject, append(path, entry.getKey()));
            }
        }
    }

    private static List<String> append(List<String> at, String key) {
        List<String> out = new ArrayList<>(at);
        out.add(key);
        return out;
    }
}
