package io.jobrunner.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;

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
 * @param dedupKey   de-duplication key, or null ({@link DedupKeys})
 * @param root       root-job supersession, or null
 */
public record Job(String id, String type, String domain, ObjectNode params, long enqueuedAt,
                  Long releaseAt, String dedupKey, RootJob root) {

    public static final String DEFAULT_DOMAIN = "default";

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
        if (dedupKey != null && (dedupKey.isEmpty() || dedupKey.length() > 256)) {
            throw new InvalidJobException("dedupKey", dedupKey, "a non-empty string of at most 256 characters");
        }
    }

    /** A new job of this type in the default domain with empty params, enqueued now. */
    public static Job of(String type) {
        return new Job(JobIds.next(), type, DEFAULT_DOMAIN, JsonNodeFactory.instance.objectNode(),
                System.currentTimeMillis(), null, null, null);
    }

    /** A new job of this type with these params; params must be a JSON object. */
    public static Job of(String type, JsonNode params) {
        return of(type).withParams(params);
    }

    public Job withParams(JsonNode newParams) {
        if (!(newParams instanceof ObjectNode object)) {
            throw new InvalidJobException("params", newParams == null ? null : newParams.getNodeType(), "a JSON object");
        }
        return new Job(id, type, domain, object, enqueuedAt, releaseAt, dedupKey, root);
    }

    public Job inDomain(String newDomain) {
        return new Job(id, type, newDomain, params, enqueuedAt, releaseAt, dedupKey, root);
    }

    public Job withId(String newId) {
        return new Job(newId, type, domain, params, enqueuedAt, releaseAt, dedupKey, root);
    }

    public Job enqueuedAt(long epochMillis) {
        return new Job(id, type, domain, params, epochMillis, releaseAt, dedupKey, root);
    }

    /** Delays the job: it waits in the delayed set until this time. */
    public Job releaseAt(Instant at) {
        Objects.requireNonNull(at, "releaseAt");
        return new Job(id, type, domain, params, enqueuedAt, at.toEpochMilli(), dedupKey, root);
    }

    /** De-duplicates on type and params, ignoring the listed top-level params. */
    public Job deduplicated(String... ignoredParams) {
        return withDedupKey(DedupKeys.of(type, params, ignoredParams));
    }

    public Job withDedupKey(String key) {
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, key, root);
    }

    public Job withRoot(RootJob newRoot) {
        return new Job(id, type, domain, params, enqueuedAt, releaseAt, dedupKey, newRoot);
    }

    public QueueName queue() {
        return new QueueName(domain, type);
    }
}
