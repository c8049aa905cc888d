package io.jobrunner.client;

import java.util.Objects;

/**
 * A queue: the jobs of one type in one domain (tenant). Written {@code domain/type} wherever a queue is
 * named as one string (the registry, the wake-up channel, logs); both parts use the job-name alphabet.
 */
public record QueueName(String domain, String type) {

    public QueueName {
        JobValidator.requireName("domain", domain);
        JobValidator.requireName("type", type);
    }

    /** Parses {@code domain/type}. */
    public static QueueName parse(String name) {
        Objects.requireNonNull(name, "queue name");
        int slash = name.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("queue name '" + name + "' is not of the form domain/type");
        }
        return new QueueName(name.substring(0, slash), name.substring(slash + 1));
    }

    @Override
    public String toString() {
        return domain + "/" + type;
    }
}
