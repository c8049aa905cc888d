package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.HandlerProbe;
import io.jobrunner.bench.IdleShape;
import io.jobrunner.bench.Latencies;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.runner.RunnerUnderTest;
import io.jobrunner.bench.runner.Runners;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Scenario 5, idle pickup: an idle runner; jobs pushed one at a time, each after the previous one started
 * and a pause, so every push finds the queue empty and every slot waiting (the wake-up path: push script,
 * registry update and PUBLISH, the runner's subscriber, claim). One pass per shape ({@code --idle-shapes}:
 * slots and pause, by default 1 slot 2 ms apart, then 8 slots 5 ms apart). Pickup latency is from the
 * producer's call to push to the start of the handler (p50, p99 and max); the first tenth of each repeat is a
 * warm-up, not recorded.
 */
public final class IdlePickupScenario implements Scenario {

    private record Outcome(double p50, double p99, double max, double pushP50, long[] sorted) {
        @Override
        public String toString() {
            return String.format("pickup p50 %.3f ms, p99 %.3f ms, max %.3f ms (push call p50 %.3f ms)", p50, p99, max, pushP50);
        }
    }

    @Override
    public String name() {
        return "idle";
    }

    /** The label of a shape's results: {@code 2000 jobs, 1 slot, 2 ms apart}; the targets find them by it. */
    public static String label(int jobs, IdleShape shape) {
        return jobs + " jobs, " + shape.label();
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int jobs = ctx.config().idleJobs();
        for (String runner : ctx.runnerNames()) {
            Supplier<RunnerUnderTest> runners = Runners.named(runner);
            for (IdleShape shape : ctx.config().idleShapes()) {
                String label = label(jobs, shape) + ctx.suffix(runner);
                List<Outcome> outcomes = Repeats.run("idle pickup " + label, ctx.config().repeats(), ctx.log(),
                        i -> pass(ctx, runners, i == 0 ? Math.max(50, jobs / 10) : jobs, shape));
                ctx.results().add(name(), "pickup p50, " + label, "ms", Repeats.summary(outcomes, Outcome::p50), "");
                ctx.results().add(name(), "pickup p99, " + label, "ms", Repeats.summary(outcomes, Outcome::p99), "");
                ctx.results().add(name(), "pickup max, " + label, "ms", Repeats.summary(outcomes, Outcome::max), "");
                ctx.results().add(name(), "push call p50 (included above), " + label, "ms",
                        Repeats.summary(outcomes, Outcome::pushP50), "");
                ctx.results().latencies("idle pickup, " + shape.label() + ", " + runner, outcomes.get(outcomes.size() - 1).sorted());
            }
        }
    }

    private Outcome pass(BenchContext ctx, Supplier<RunnerUnderTest> runners, int jobs, IdleShape shape) throws Exception {
        String prefix = ctx.redis().newPrefix();
        QueueName queue = BenchJobs.queue("idle");
        Semaphore started = new Semaphore(0);
        HandlerProbe probe = new HandlerProbe(jobs, job -> started.release());
        Latencies pushes = new Latencies(jobs);
        int warmup = Math.max(5, jobs / 10);
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix));
             RunnerUnderTest runner = runners.get()) {
            runner.start(client.settings(), shape.slots(), probe);
            JobProducer producer = client.producer();
            Thread.sleep(200); // the runner settles into idle
            for (int i = 0; i < jobs + warmup; i++) {
                if (i == warmup) {
                    probe.recording(true);
                }
                Job job = BenchJobs.job(queue, ctx.config().paramsBytes());
                producer.push(job);
                if (i >= warmup) {
                    pushes.record(System.nanoTime() - BenchJobs.stamp(job));
                }
                if (!started.tryAcquire(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("idle pickup: job " + i + " did not start within 10 s");
                }
                Thread.sleep(shape.pauseMillis());
            }
        } finally {
            ctx.redis().clean(prefix);
        }
        long[] sorted = probe.latencies().sorted();
        long[] pushSorted = pushes.sorted();
        return new Outcome(Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
                Latencies.percentileMillis(pushSorted, 50), sorted);
    }
}
