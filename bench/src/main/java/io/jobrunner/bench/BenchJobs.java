package io.jobrunner.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.Job;
import io.jobrunner.client.QueueName;

import java.util.ArrayList;
import java.util.List;

/**
 * The jobs the bench pushes: no-op jobs whose params carry {@code t}, the producer's {@link System#nanoTime()}
 * when it pushed (runner and producers share the bench JVM, so the handler reads its pickup latency from it),
 * padded with {@code p} to the requested serialized size.
 */
public final class BenchJobs {

    /** The job type of every bench job. */
    public static final String TYPE = "benchNoop";

    private BenchJobs() {
    }

    /** Params of {@code bytes} serialized bytes (at least the size of the stamp alone). */
    public static ObjectNode params(int bytes, long stamp) {
        String base = "{\"t\":" + stamp + ",\"p\":\"\"}";
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("t", stamp);
        params.put("p", "x".repeat(Math.max(0, bytes - base.length())));
        return params;
    }

    /** One job of the queue stamped now. */
    public static Job job(QueueName queue, int paramsBytes) {
        return Job.of(queue.type(), params(paramsBytes, System.nanoTime())).inDomain(queue.domain());
    }

    /** {@code count} jobs of the queue. */
    public static List<Job> jobs(QueueName queue, int count, int paramsBytes) {
        List<Job> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            jobs.add(job(queue, paramsBytes));
        }
        return jobs;
    }

    /** The producer's nanoTime stamp of a bench job, or 0 when absent. */
    public static long stamp(Job job) {
        return job == null ? 0 : job.params().path("t").asLong(0);
    }

    public static QueueName queue(String domain) {
        return new QueueName(domain, TYPE);
    }
}
