package io.jobrunner.client;

import java.util.Map;

/**
 * How many partitions producers spread each job type over ({@link QueueName#partition()}): a count per type and a
 * default, {@code 1} (no partitioning) unless configured; {@link #AUTO} means one per cluster master (one on a single
 * Redis). Only producers read it: runners and the chron serve every partition they find in the registry, so changing
 * a count never strands jobs in a partition that is no longer pushed to.
 *
 * @param byType   job types to their count (or {@link #AUTO})
 * @param fallback the count of the types not listed
 */
public record Partitions(Map<String, Integer> byType, int fallback) {

    /** One partition per master. */
    public static final int AUTO = -1;
    /** No type partitioned. */
    public static final Partitions NONE = new Partitions(Map.of(), 1);

    public Partitions {
        byType = Map.copyOf(byType);
        check("*", fallback);
        byType.forEach(Partitions::check);
    }

    /** Every type in {@code count} partitions ({@link #AUTO} for one per master). */
    public static Partitions all(int count) {
        return new Partitions(Map.of(), count);
    }

    /** The same with {@code type} in {@code count} partitions. */
    public Partitions with(String type, int count) {
        java.util.HashMap<String, Integer> copy = new java.util.HashMap<>(byType);
        copy.put(type, count);
        return new Partitions(copy, fallback);
    }

    /** True when the type has one partition per master. */
    public boolean isAuto(String type) {
        return byType.getOrDefault(type, fallback) == AUTO;
    }

    /** The partition count of a type, given the number of masters for {@link #AUTO}. */
    public int count(String type, int masters) {
        int n = byType.getOrDefault(type, fallback);
        return n == AUTO ? Math.max(1, Math.min(masters, QueueName.MAX_PARTITIONS)) : n;
    }

    private static void check(String type, int count) {
        if (count != AUTO && (count < 1 || count > QueueName.MAX_PARTITIONS)) {
            throw new IllegalArgumentException("partitions of '" + type + "' must be 1 to " + QueueName.MAX_PARTITIONS
                    + " or auto, was " + count);
        }
    }
}
