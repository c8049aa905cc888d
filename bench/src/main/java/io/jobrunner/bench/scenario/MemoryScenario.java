package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.KeyLayout;
import io.jobrunner.client.QueueKeys;
import io.jobrunner.client.QueueName;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 6, memory: Redis memory per waiting job, for N jobs with params of the configured size, ready and
 * delayed (release a day ahead). On a Redis the bench started itself (empty but for the pass), the figure is the
 * {@code used_memory} delta, allocator overhead included. On someone else's Redis ({@code --redis}) that delta
 * also holds whatever the server did meanwhile (other clients, lazy frees of the previous pass), so the figure is
 * the sum of {@code MEMORY USAGE ... SAMPLES 0} (exact) over the pass's own keys; both are reported. For each key of
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
            String how = ctx.redis().owned() ? "used_memory delta" : "sum of MEMORY USAGE of the pass's keys (external Redis)";
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
            long before = ctx.redis().info("memory").asLong("used_memory");
            for (int from = 0; from < n; from += 1000) {
                List<Job> jobs = new ArrayList<>(1000);
                for (int i = from; i < Math.min(n, from + 1000); i++) {
                    jobs.add(job(queue, paramsBytes, delayed));
                }
                producer.push(jobs);
            }
            long after = ctx.redis().info("memory").asLong("used_memory");
            Map<String, Map<String, Object>> keys = describeKeys(admin, client.keys(), queue, n);
            double usedMemory = (after - before) / (double) n;
            double ofKeys = keysBytes(admin, prefix) / (double) n;
            return new Outcome(ctx.redis().owned() ? usedMemory : ofKeys, usedMemory, ofKeys, keys);
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    /** The exact memory of every key of the pass ({@code MEMORY USAGE key SAMPLES 0}: every element counted). */
    private static long keysBytes(RedisCommands<String, String> admin, String prefix) {
        long total = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = admin.scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(1000));
            for (String key : page.getKeys()) {
                Long bytes = admin.dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0));
                total += bytes == null ? 0 : bytes;
            }
            cursor = page;
        } while (!cursor.isFinished());
        return total;
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
