package io.jobrunner.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A job, as producers build it and runners receive it. Immutable; the {@code with...} methods return
 * copies. Validation happens here, so an invalid job never reaches Redis.
 *
 * @param id         unique, assigned at creation ({@link JobIds})
 * @param type       the job type, {@code [A-Za-z0-9_.-]{1,128}}
 * @param domain     the tenant, same alphabet; {@code default} when not given
 * @param params     a JSON object (never null)
 * @param enqueuedAt epoch ms when first pushed
 * @param releaseAt  epoch ms before which the job must not run, or null
 * @param expireAt   epoch ms after which the job must not start any more, or null: a job still waiting then is
 *                   dropped at claim time, counted as expired and kept for the operator
 * @param dedupKey   de-duplication key, or null ({@link DedupKeys})
 * @param root       root-job supersession, or null
 * @param metadata   context that travels with the job beside its params, e.g. a W3C {@code traceparent}: every
 *                   executor gets it ({@link JobMetadata} has the rules and bounds); empty when not given
 * @param unique     how long the dedup key holds ({@link Uniqueness}); null for the default, while the job waits.
 *                   Needs a dedup key
 * @param priority   0 to 9: within its queue a ready job of a higher priority is claimed first, FIFO within one
 *                   priority; 0 (the default) is the plain FIFO queue
 */
public record Job(String id, String type, String domain, ObjectNode params, long enqueuedAt,
                  Long releaseAt, Long expireAt, String dedupKey, RootJob root,
                  @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Uniqueness unique,
                  @JsonInclude(JsonInclude.Include.NON_DEFAULT) int priority) {

    /** The highest priority (claimed first). */
    public static final int MAX_PRIORITY = 9;

    public static final String DEFAULT_DOMAIN = "default";

    @JsonCreator
    public Job {
        JobValidator.requireId(id);
        JobValidator.requireName("type", type);
        JobValidator.requireName("domain", domain);
        if (params == null) {
            throw new InvalidJobException("params", null, "a JSON object");
        }
        if (enqueuedAt <= 0) {
            throw new InvalidJobException("enqueuedAt", enqueuedAt, "a positive epoch time in milliseconds");
        }
        if (releaseAt != null && releaseAt <= 0) {
            throw new InvalidJobException("releaseAt", releaseAt, "a positive epoch time in milliseconds");
        }
        if (expireAt != null && expireAt <= 0) {
            throw new InvalidJobException("expireAt", expireAt, "a positive epoch time in milliseconds");
        }
        if (expireAt != null && releaseAt != null && expireAt <= releaseAt) {
            throw new InvalidJobException("expireAt", Instant.ofEpochMilli(expireAt), "a time after releaseAt ("
                    + Instant.ofEpochMilli(releaseAt) + "): the job could never start");
        }
        if (dedupKey != null && (dedupKey.isEmpty() || dedupKey.length() > 256)) {
            throw new InvalidJobException("dedupKey", dedupKey, "a non-empty string of at most 256 characters");
        }
        metadata = metadata == null || metadata.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(JobMetadata.validate(metadata)));
        if (unique != null && unique.mode() == Uniqueness.Mode.WHILE_WAITING) {
            unique = null; // the default, stored as no mode
        }
        if (unique != null && dedupKey == null) {
            throw new InvalidJobException("unique", unique, "a dedup key to hold: use unique(mode, ignoredParams...)");
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new InvalidJobException("priority", priority, "0 to " + MAX_PRIORITY + " (higher is claimed first)");
        }
    }

    /** A job of priority 0. */
    public Job(String id, String type, String domain, ObjectNode params, long enqueuedAt, Long releaseAt, Long expireAt,
               String dedupKey, RootJob root, Map<String, String> metadata, Uniqueness unique) {
        this(id, type, domain, params, enqueuedAt, releaseAt, expireAt, dedupKey, root, metadata, unique, 0);
    }

    /** A job with the default uniqueness (while it waits, when it has a dedup key). */
    public Job(String id, String type, String domain, ObjectNode params, long enqueuedAt, Long releaseAt, Long expireAt,
               String dedupKey, RootJob root, Map<String, String> metadata) {
        this(id, type, domain, params, enqueuedAt, releaseAt, expireAt, dedupKey, root, metadata, null, 0);
    }

    /** A job without metadata. */
    public Job(String id, String type, String domain, ObjectNode params, long enqueuedAt, Long releaseAt,
               String dedupKey, RootJob root) {
        this(id, type, domain, params, enqueuedAt, releaseAt, null, dedupKey, root, Map.of(), null, 0);
    }

    /** A new job of this type in the default domain with empty params, enqueued now. */
    public static Job of(String type) {
        return new Job(JobIds.next(), type, DEFAULT_DOMAIN, JsonNodeFactory.instance.objectNode(),
                System.currentTimeMillis(), null, null, null, null, null, null, 0);
    }

    /** A new job of this type with these params; params must be a JSON object. */
    public static Job of(String type, JsonNode params) {
        return of(type).withParams(params);
    }

    /** A new job of this type whose params are {@code params} (a map or an object Jackson can write) as JSON. */
    public static Job of(String type, Object params) {
        JsonNode tree;
        try {
            tree = JobCodec.mapper().valueToTree(params);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException("params", params == null ? null : params.getClass().getName(),
                    "a map or an object Jackson can write as a JSON object (" + e.getMessage() + ")");
        }
        return of(type).withParams(tree);
    }

    public Job withParams(JsonNode newParams) {
        if (!(newParams instanceof ObjectNode object)) {
            throw new InvalidJobException("params", newParams == null ? null : newParams.getNodeType(), "a JSON object");
        }
        return new Job(id, type, domain, object, enqueuedAt, releaseAt, expireAt, dedupKey, root, metadata, unique, priority);
    }

    public Job inDomain(String newDomain) {
        return new Job(id, type, newDomain, params, enqueuedAt, releaseAt, expireAt, dedupKey, root, metadata, unique, priority);
    }

    public Job withId(String newId) {
        return new Job(newId, type, domain, params, enqueuedAt, releaseAt, expireAt, dedupKey, root, metadata, unique, priority);
    }

    public Job enqueuedAt(long epochMillis) {
        return new Job(id, type, domain, params, epochMillis, releaseAt, expireAt, dedupKey, root, metadata, unique, priority);
    }

    /** Delays the job: it waits in the delayed set until this time. */
    public Job releaseAt(Instant at) {
        Objects.requireNonNull(at, "releaseAt");
        return new Job(id, type, domain, params, enqueuedAt, at.toEpochMilli(), expireAt, dedupKey, root, metadata, unique, priority);
    }

    /**
     * The job expires at this time: if no runner has started it by then, the claim that finds it drops it
     * (counted as expired, kept in the queue's expired record for the operator) instead of running it.
     */
    public Job expireAt(Instant at) {
        Objects.requireNonNull(at, "expireAt");
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, at.toEpochMilli(), dedupKey, root, metadata, unique, priority);
    }

    /** De-duplicates on type and params, ignoring the listed top-level params. */
    public Job deduplicated(String... ignoredParams) {
        return withDedupKey(DedupKeys.of(type, params, ignoredParams));
    }

    public Job withDedupKey(String key) {
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, expireAt, key, root, metadata, key == null ? null : unique, priority);
    }

    /**
     * De-duplicates on type and params (ignoring the listed top-level params), held as {@code mode} says: while
     * the job waits (the default, as {@link #deduplicated}), until it starts, until it finishes, or for a period
     * after the push.
     */
    public Job unique(Uniqueness mode, String... ignoredParams) {
        Objects.requireNonNull(mode, "mode");
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, expireAt, DedupKeys.of(type, params, ignoredParams),
                root, metadata, mode, priority);
    }

    /** The same job with this priority (0 to 9; higher is claimed first within its queue). */
    public Job withPriority(int newPriority) {
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, expireAt, dedupKey, root, metadata, unique, newPriority);
    }

    public Job withRoot(RootJob newRoot) {
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, expireAt, dedupKey, newRoot, metadata, unique, priority);
    }

    /** The same job with exactly this metadata (validated: {@link JobMetadata}). */
    public Job withMetadata(Map<String, String> newMetadata) {
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, expireAt, dedupKey, root, newMetadata, unique, priority);
    }

    /** The same job with one metadata entry added or replaced. */
    public Job withMetadata(String key, String value) {
        Map<String, String> merged = new TreeMap<>(metadata);
        merged.put(key, value);
        return withMetadata(merged);
    }

    /** Metadata key of the partition key ({@link #withPartitionKey}). */
    public static final String PARTITION_KEY = "partition-key";

    /**
     * Jobs with one partition key go to one partition of a partitioned type, so they are claimed in push order
     * (FIFO holds within a partition); without one, jobs are spread round robin. Kept in the metadata.
     */
    public Job withPartitionKey(String key) {
        return withMetadata(PARTITION_KEY, key);
    }

    /** The partition key, or null. */
    @JsonIgnore
    public String partitionKey() {
        return metadata.get(PARTITION_KEY);
    }

    /** The queue of the job's type and domain (partition 0; a producer may push it to another partition). */
    public QueueName queue() {
        return new QueueName(domain, type);
    }
}
