package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.MemoryMeter;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.KeyLayout;
import io.jobrunner.client.QueueKeys;
import io.jobrunner.client.QueueName;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 6, memory: Redis memory per waiting job, for N jobs with params of the configured size, ready and
 * delayed (release a day ahead), measured by {@link MemoryMeter} (the {@code used_memory} delta on the bench's own
 * Redis, the sum of the pass's keys' {@code MEMORY USAGE} on someone else's; both are reported). For each key of
 * the queue and the registries: its type, {@code OBJECT ENCODING} and {@code MEMORY USAGE}.
 */
public final class MemoryScenario implements Scenario {

    private record Outcome(double bytesPerJob, double usedMemoryPerJob, double keysPerJob, Map<String, Map<String, Object>> keys) {
        @Override
        public String toString() {
            return String.format("%.1f bytes/job", bytesPerJob);
        }
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int n = ctx.config().memoryJobs();
        int paramsBytes = ctx.config().paramsBytes();
        Job sample = Job.of(BenchJobs.TYPE, BenchJobs.params(paramsBytes, System.nanoTime()));
        ctx.results().detail(name(), "stored job JSON bytes (" + paramsBytes + "-byte params)",
                JobCodec.encodeStored(sample, Integer.MAX_VALUE).length());
        for (boolean delayed : new boolean[]{false, true}) {
            String kind = delayed ? "delayed" : "waiting (ready)";
            List<Outcome> outcomes = Repeats.run("memory " + kind, ctx.config().repeats(), ctx.log(),
                    i -> pass(ctx, i == 0 ? Math.max(1000, n / 10) : n, paramsBytes, delayed));
            String how = MemoryMeter.how(ctx.redis());
            ctx.results().add(name(), "per " + (delayed ? "delayed" : "waiting") + " job, " + paramsBytes + "-byte params",
                    "bytes/job", Repeats.summary(outcomes, Outcome::bytesPerJob), n + " jobs, " + how);
            ctx.results().detail(name(), (delayed ? "delayed" : "ready") + " bytes/job by used_memory delta",
                    Repeats.summary(outcomes, Outcome::usedMemoryPerJob));
            ctx.results().detail(name(), (delayed ? "delayed" : "ready") + " bytes/job by MEMORY USAGE of the keys",
                    Repeats.summary(outcomes, Outcome::keysPerJob));
            ctx.results().detail(name(), (delayed ? "delayed" : "ready") + " keys", outcomes.get(outcomes.size() - 1).keys());
        }
    }

    private Outcome pass(BenchContext ctx, int n, int paramsBytes, boolean delayed) {
        String prefix = ctx.redis().newPrefix();
        QueueName queue = BenchJobs.queue("memory");
        RedisCommands<String, String> admin = ctx.redis().admin();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix))) {
            JobProducer producer = client.producer();
            producer.push(job(queue, paramsBytes, delayed)); // loads the script; then the job is deleted
            ctx.redis().clean(prefix);
            MemoryMeter memory = MemoryMeter.start(ctx.redis());
            for (int from = 0; from < n; from += 1000) {
                List<Job> jobs = new ArrayList<>(1000);
                for (int i = from; i < Math.min(n, from + 1000); i++) {
                    jobs.add(job(queue, paramsBytes, delayed));
                }
                producer.push(jobs);
            }
            MemoryMeter.Reading reading = memory.perJob(prefix, n);
            Map<String, Map<String, Object>> keys = describeKeys(admin, client.keys(), queue, n);
            return new Outcome(reading.bytesPerJob(), reading.usedMemoryPerJob(), reading.keysPerJob(), keys);
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    private static Job job(QueueName queue, int paramsBytes, boolean delayed) {
        Job job = Job.of(queue.type(), BenchJobs.params(paramsBytes, System.nanoTime())).inDomain(queue.domain());
        return delayed ? job.releaseAt(Instant.now().plusSeconds(86_400)) : job;
    }

    /** Type, encoding and memory of each key that exists, and its bytes per job. */
    static Map<String, Map<String, Object>> describeKeys(RedisCommands<String, String> admin, KeyLayout layout,
                                                       QueueName queue, int jobs) {
        QueueKeys k = layout.queue(queue);
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String key : List.of(k.ready(), k.prioritized(), k.delayed(), k.claimed(), k.abandoned(), k.data(), k.meta(), k.dedup(),
                k.roots(), layout.queues(), layout.readyRegistry(), layout.due())) {
            if (admin.exists(key) == 0) {
                continue;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("type", admin.type(key));
            d.put("encoding", admin.objectEncoding(key));
            Long usage = admin.memoryUsage(key);
            d.put("memoryUsage", usage);
            if (usage != null) {
                d.put("bytesPerJob", Math.round(usage * 10.0 / jobs) / 10.0);
            }
            out.put(key.substring(layout.prefix().length() + 1), d);
        }
        return out;
    }
}
