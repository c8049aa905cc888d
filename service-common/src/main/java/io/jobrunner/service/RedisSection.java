package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Partitions;
import io.jobrunner.client.QueueName;

import java.util.HashMap;
import java.util.Map;
import io.jobrunner.client.RedisEndpoint;

/** Maps {@code jobrunner.redis} to the client's {@link ClientSettings}, with range checks naming the path. */
public final class RedisSection {

    private static final String PATH = "jobrunner.redis";

    private RedisSection() {
    }

    public static ClientSettings clientSettings(Config root) {
        String uri = root.getString(PATH + ".uri");
        if (!uri.matches("(redis|rediss|redis-sentinel|rediss-sentinel|redis-cluster|rediss-cluster|redis-socket)://.*")) {
            throw bad(root, "uri", "must start with redis://, rediss://, redis-sentinel://, redis-cluster:// or redis-socket://, was '"
                    + io.jobrunner.client.JobRunnerClient.maskPassword(uri) + "'");
        }
        try {
            RedisEndpoint.parse(uri);
        } catch (IllegalArgumentException e) {
            throw bad(root, "uri", e.getMessage());
        }
        String prefix = root.getString(PATH + ".prefix");
        if (!prefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw bad(root, "prefix", "must be 1 to 64 characters of A-Z a-z 0-9 _ . : -, was '" + prefix + "'");
        }
        long maxPayload = root.getBytes(PATH + ".max-payload");
        if (maxPayload < 1 || maxPayload > ClientSettings.MAX_PAYLOAD_CAP) {
            // well below Redis's request limits (512MB a bulk string): one job must fit one push call safely
            throw bad(root, "max-payload", "must be between 1 byte and 16MiB, was " + maxPayload);
        }
        int batchSize = root.getInt(PATH + ".batch-size");
        if (batchSize < 1 || batchSize > 1000) {
            throw bad(root, "batch-size", "must be 1 to 1000, was " + batchSize);
        }
        return new ClientSettings(uri, prefix,
                Durations.positive(root, PATH + ".connect-timeout"), Durations.positive(root, PATH + ".command-timeout"),
                (int) maxPayload, batchSize, partitions(root));
    }

    /** {@code partitions { "*" = 1, bigType = auto, other = 6 }}: a count (1 to 1024) or auto per type. */
    private static Partitions partitions(Config root) {
        String path = PATH + ".partitions";
        if (!root.hasPath(path)) {
            return Partitions.NONE;
        }
        ConfigObject object = root.getObject(path);
        Map<String, Integer> byType = new HashMap<>();
        int fallback = 1;
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String type = entry.getKey();
            String key = path + "." + ConfigUtil.joinPath(type);
            if (!type.equals("*") && !type.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,127}")) {
                throw new ConfigException.BadValue(entry.getValue().origin(), key,
                        "a job type name (1 to 128 of A-Z a-z 0-9 _ . -, not starting with -) or \"*\"");
            }
            Object raw = entry.getValue().unwrapped();
            int count;
            if ("auto".equals(raw)) {
                count = Partitions.AUTO;
            } else if (raw instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 1
                    && n.intValue() <= QueueName.MAX_PARTITIONS) {
                count = n.intValue();
            } else {
                throw new ConfigException.BadValue(entry.getValue().origin(), key,
                        "must be 1 to " + QueueName.MAX_PARTITIONS + " or auto (one partition per cluster master), was " + raw);
            }
            if (type.equals("*")) {
                fallback = count;
            } else {
                byType.put(type, count);
            }
        }
        return new Partitions(byType, fallback);
    }

    private static ConfigException bad(Config root, String key, String message) {
        return new ConfigException.BadValue(root.getValue(PATH + "." + key).origin(), PATH + "." + key, message);
    }
}
