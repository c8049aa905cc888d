package io.jobrunner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobIds;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RootJob;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared job fixture: {@code TestJobs.job().type("sendMail").param("to", "a@b").build()}. Every job
 * gets a fresh id; anything not set has a plain default (type {@code testJob}, domain {@code default},
 * empty params, enqueued now).
 */
public final class TestJobs {

    public static final String DEFAULT_TYPE = "testJob";

    private String id;
    private String type = DEFAULT_TYPE;
    private String domain = Job.DEFAULT_DOMAIN;
    private ObjectNode params = JsonNodeFactory.instance.objectNode();
    private long enqueuedAt = System.currentTimeMillis();
    private Long releaseAt;
    private String dedupKey;
    private String[] dedupIgnoring;
    private RootJob root;

    private TestJobs() {
    }

    /** A builder with the defaults. */
    public static TestJobs job() {
        return new TestJobs();
    }

    /** A builder for a job of this queue. */
    public static TestJobs job(QueueName queue) {
        return new TestJobs().queue(queue);
    }

    /** {@code n} plain jobs of this queue, each with a distinct {@code seq} param. */
    public static List<Job> jobs(QueueName queue, int n) {
        return job(queue).build(n);
    }

    /** A queue of its own for a test: domain {@code d}, the given type. */
    public static QueueName queue(String type) {
        return new QueueName("d", type);
    }

    public TestJobs id(String newId) {
        this.id = newId;
        return this;
    }

    public TestJobs type(String newType) {
        this.type = newType;
        return this;
    }

    public TestJobs domain(String newDomain) {
        this.domain = newDomain;
        return this;
    }

    public TestJobs queue(QueueName queue) {
        this.domain = queue.domain();
        this.type = queue.type();
        return this;
    }

    public TestJobs param(String name, String value) {
        params.put(name, value);
        return this;
    }

    /**
     * A number param. Stored as an int node when it fits, as JSON decoding does, so a built job equals the
     * same job read back from Redis (Jackson's IntNode(1) and LongNode(1) are not equal).
     */
    public TestJobs param(String name, long value) {
        if (value == (int) value) {
            params.put(name, (int) value);
        } else {
            params.put(name, value);
        }
        return this;
    }

    public TestJobs param(String name, JsonNode value) {
        params.set(name, value);
        return this;
    }

    public TestJobs params(ObjectNode newParams) {
        this.params = newParams.deepCopy();
        return this;
    }

    /** Params whose serialized form ({@code {"blob":"xxx..."}}) is exactly {@code bytes} long (at least 11). */
    public TestJobs paramsOfSize(int bytes) {
        if (bytes < 11) {
            throw new IllegalArgumentException("the smallest sized params are 11 bytes");
        }
        this.params = JsonNodeFactory.instance.objectNode().put("blob", "x".repeat(bytes - 11));
        return this;
    }

    public TestJobs enqueuedAt(long epochMillis) {
        this.enqueuedAt = epochMillis;
        return this;
    }

    public TestJobs releaseAt(Instant at) {
        this.releaseAt = at.toEpochMilli();
        return this;
    }

    /** Delayed by {@code delay} from the clock's now (enqueued at the clock's now too). */
    public TestJobs delayed(Clock clock, Duration delay) {
        this.enqueuedAt = clock.millis();
        this.releaseAt = clock.millis() + delay.toMillis();
        return this;
    }

    /** De-duplicated on type and params, ignoring these params (computed at build time). */
    public TestJobs deduplicated(String... ignoredParams) {
        this.dedupIgnoring = ignoredParams;
        return this;
    }

    public TestJobs dedupKey(String key) {
        this.dedupKey = key;
        return this;
    }

    /** A plausible root timestamp (2023-11-14), for tests that order roots: {@code ROOT_T0 + 1000} is newer. */
    public static final long ROOT_T0 = 1_700_000_000_000L;

    public TestJobs root(String signature, long timestamp) {
        this.root = new RootJob(signature, timestamp);
        return this;
    }

    public Job build() {
        Job job = new Job(id == null ? JobIds.next() : id, type, domain, params.deepCopy(), enqueuedAt, releaseAt,
                dedupKey, root);
        return dedupIgnoring == null ? job : job.deduplicated(dedupIgnoring);
    }

    /** {@code n} jobs with fresh ids, each with a {@code seq} param 0..n-1 (so they are not duplicates). */
    public List<Job> build(int n) {
        List<Job> out = new ArrayList<>(n);
        String fixedId = id;
        for (int i = 0; i < n; i++) {
            id = null;
            out.add(param("seq", i).build());
        }
        id = fixedId;
        params.remove("seq");
        return out;
    }
}
