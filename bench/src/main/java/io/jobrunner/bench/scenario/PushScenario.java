package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.CpuMeter;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.Summary;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 2, push: no-op jobs with the configured params size pushed into one queue through one client (one
 * connection, as a producer process has):
 * <ol>
 *   <li>single jobs from 1 producer thread, each call awaited before the next (bound by the round trip: compared
 *       with the ceiling's PING round-trip rate);</li>
 *   <li>single jobs, then batches of 100 and 1000 per call, from {@code --producers} threads sharing the client.</li>
 * </ol>
 * Reports jobs/s (jobs created, validated, encoded and stored per second), with Redis and JVM CPU.
 */
public final class PushScenario implements Scenario {

    private record Outcome(double jobsPerSecond, CpuMeter.Usage cpu) {
        @Override
        public String toString() {
            return String.format("%.0f jobs/s, %s", jobsPerSecond, cpu);
        }
    }

    @Override
    public String name() {
        return "push";
    }

    /** The label of a push pass: {@code single, 1 producer}, {@code batch 100, 8 producers}; the targets find them by it. */
    public static String label(int batch, int producers) {
        return (batch == 1 ? "single" : "batch " + batch) + ", " + producers + (producers == 1 ? " producer" : " producers");
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int producers = ctx.config().producers();
        if (producers > 1) {
            measure(ctx, 1, 1);
        }
        for (int batch : new int[]{1, 100, 1000}) {
            measure(ctx, producers, batch);
        }
    }

    private void measure(BenchContext ctx, int threads, int batch) throws Exception {
        String label = label(batch, threads);
        List<Outcome> outcomes = Repeats.run("push " + label, ctx.config().repeats(), ctx.log(),
                i -> pass(ctx, threads, batch, i == 0 ? Math.max(batch * threads, ctx.config().pushJobs() / 5) : ctx.config().pushJobs()));
        Summary rate = Repeats.summary(outcomes, Outcome::jobsPerSecond);
        Outcome median = outcomes.get(outcomes.size() / 2);
        double ceiling = CeilingScenario.ceiling(ctx.results());
        double ping = CeilingScenario.pingRate(ctx.results());
        String note = median.cpu() + (Double.isNaN(ceiling) ? "" : String.format(", %.0f%% of ceiling", 100 * rate.median() / ceiling))
                + (threads == 1 && batch == 1 && !Double.isNaN(ping) ? String.format(", %.0f%% of PING round trips", 100 * rate.median() / ping) : "");
        ctx.results().add(name(), label, "jobs/s", rate, note);
    }

    private Outcome pass(BenchContext ctx, int threads, int batch, int total) throws Exception {
        String prefix = ctx.redis().newPrefix();
        QueueName queue = BenchJobs.queue("push");
        int paramsBytes = ctx.config().paramsBytes();
        long deadline = System.nanoTime() + ctx.config().maxPassTime().toNanos();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix))) {
            JobProducer producer = client.producer();
            producer.push(BenchJobs.job(queue, paramsBytes)); // the queue exists and is registered before timing
            AtomicLong pushed = new AtomicLong();
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            int perThread = total / threads;
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try {
                        go.await();
                        for (int done = 0; done < perThread && System.nanoTime() < deadline; done += batch) {
                            int n = Math.min(batch, perThread - done);
                            if (n == 1) {
                                producer.push(BenchJobs.job(queue, paramsBytes));
                            } else {
                                List<Job> jobs = BenchJobs.jobs(queue, n, paramsBytes);
                                producer.push(jobs);
                            }
                            pushed.addAndGet(n);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }, "bench-producer-" + t);
                workers.add(worker);
                worker.start();
            }
            CpuMeter cpu = CpuMeter.start(ctx.redis());
            long start = System.nanoTime();
            go.countDown();
            for (Thread worker : workers) {
                worker.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuMeter.Usage usage = cpu.stop();
            if (failure.get() != null) {
                throw new IllegalStateException("a producer failed: " + failure.get().getMessage(), failure.get());
            }
            return new Outcome(pushed.get() / seconds, usage);
        } finally {
            ctx.redis().clean(prefix);
        }
    }
}
