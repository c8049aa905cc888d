package io.jobrunner.client;

import java.util.Objects;

/**
 * A queue: the jobs of one type in one domain (tenant), or one partition of it. Written {@code domain/type} (partition
 * 0, the queue every unpartitioned type has) or {@code domain/type#p} (partition {@code p >= 1}) wherever a queue is
 * named as one string (the registry, the wake-up channel, logs, the keys' hash tag); domain and type use the job-name
 * alphabet, which has no {@code #}. Every partition is a queue of its own in Redis, with its own hash tag, so the
 * partitions of one busy type spread over a cluster's masters; {@link #type()} is the type itself, so whatever is
 * decided per type (routing to groups, limits, caps, metrics) holds for all partitions alike.
 *
 * @param partition 0 to {@link #MAX_PARTITIONS} - 1
 */
public record QueueName(String domain, String type, int partition) {

    /** Most partitions one type may have. */
    public static final int MAX_PARTITIONS = 1024;

    public QueueName {
        JobValidator.requireName("domain", domain);
        JobValidator.requireName("type", type);
        if (partition < 0 || partition >= MAX_PARTITIONS) {
            throw new IllegalArgumentException("partition must be 0 to " + (MAX_PARTITIONS - 1) + ", was " + partition);
        }
    }

    /** Partition 0: the whole queue of an unpartitioned type. */
    public QueueName(String domain, String type) {
        this(domain, type, 0);
    }

    /** Parses {@code domain/type} or {@code domain/type#p}. */
    public static QueueName parse(String name) {
        Objects.requireNonNull(name, "queue name");
        int slash = name.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("queue name '" + name + "' is not of the form domain/type");
        }
        int hash = name.indexOf('#', slash);
        if (hash < 0) {
            return new QueueName(name.substring(0, slash), name.substring(slash + 1));
        }
        String p = name.substring(hash + 1);
        if (!p.matches("[1-9][0-9]{0,3}")) {
            throw new IllegalArgumentException("queue name '" + name + "': the partition after # must be 1 to "
                    + (MAX_PARTITIONS - 1));
        }
        return new QueueName(name.substring(0, slash), name.substring(slash + 1, hash), Integer.parseInt(p));
    }

    /** The same queue's partition {@code p}. */
    public QueueName inPartition(int p) {
        return new QueueName(domain, type, p);
    }

    /** The logical queue this partition belongs to (partition 0). */
    public QueueName logical() {
        return partition == 0 ? this : new QueueName(domain, type);
    }

    @Override
    public String toString() {
        return partition == 0 ? domain + "/" + type : domain + "/" + type + "#" + partition;
    }
}
