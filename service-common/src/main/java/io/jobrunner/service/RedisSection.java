package io.jobrunner.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.jobrunner.client.ClientSettings;

/** Maps {@code jobrunner.redis} to the client's {@link ClientSettings}, with range checks naming the path. */
public final class RedisSection {

    private static final String PATH = "jobrunner.redis";

    private RedisSection() {
    }

    public static ClientSettings clientSettings(Config root) {
        Config c = root.getConfig(PATH);
        String uri = c.getString("uri");
        if (!uri.matches("(redis|rediss|redis-sentinel|rediss-sentinel|redis-socket)://.*")) {
            throw bad(c, "uri", "must start with redis://, rediss://, redis-sentinel:// or redis-socket://, was '"
                    + io.jobrunner.client.JobRunnerClient.maskPassword(uri) + "'");
        }
        String prefix = c.getString("prefix");
        if (!prefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw bad(c, "prefix", "must be 1 to 64 characters of A-Z a-z 0-9 _ . : -, was '" + prefix + "'");
        }
        long maxPayload = c.getBytes("max-payload");
        if (maxPayload < 1 || maxPayload > 512L * 1024 * 1024) {
            throw bad(c, "max-payload", "must be between 1 byte and 512MiB, was " + maxPayload);
        }
        int batchSize = c.getInt("batch-size");
        if (batchSize < 1 || batchSize > 1000) {
            throw bad(c, "batch-size", "must be 1 to 1000, was " + batchSize);
        }
        return new ClientSettings(uri, prefix,
                Durations.positive(c, PATH, "connect-timeout"), Durations.positive(c, PATH, "command-timeout"),
                (int) maxPayload, batchSize);
    }

    private static ConfigException bad(Config c, String key, String message) {
        return new ConfigException.BadValue(c.getValue(key).origin(), PATH + "." + key, message);
    }
}
