package io.jobrunner.bench.scenario;

import io.jobrunner.bench.BenchContext;
import io.jobrunner.bench.BenchJobs;
import io.jobrunner.bench.CpuMeter;
import io.jobrunner.bench.HandlerProbe;
import io.jobrunner.bench.Latencies;
import io.jobrunner.bench.QueueDrain;
import io.jobrunner.bench.Repeats;
import io.jobrunner.bench.Scenario;
import io.jobrunner.bench.Summary;
import io.jobrunner.bench.runner.RunnerUnderTest;
import io.jobrunner.bench.runner.Runners;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Scenario 4, end-to-end: producer threads (one shared client) and one runner at once, once per producer batch
 * size ({@code --e2e-batches}: 1 = single pushes; 10 = a request that queues ten jobs in one call), in two phases
 * per repeat, each measured after its first fifth (steady state):
 * <ol>
 *   <li><b>saturated</b>: producers push as fast as they can while at most {@code backlog} pushed jobs have not
 *       started yet (a closed loop, so the queue cannot grow without bound): jobs/s is the system's capacity
 *       and pickup latency is mostly time spent waiting in the backlog;</li>
 *   <li><b>half load</b>: producers push at a fixed rate, half the saturated rate (an open loop): pickup
 *       latency of a runner that keeps up.</li>
 * </ol>
 * Pickup latency is from the producer's call to push to the start of the handler, p50/p99/p999.
 */
public final class EndToEndScenario implements Scenario {

    public static final int BACKLOG = 1000;

    private record Phase(double jobsPerSecond, double p50, double p99, double p999, long[] sorted, CpuMeter.Usage cpu) {
        @Override
        public String toString() {
            return String.format("%.0f jobs/s, pickup p50 %.2f ms p99 %.2f ms p999 %.2f ms, %s", jobsPerSecond, p50, p99, p999, cpu);
        }
    }

    private record Outcome(Phase saturated, Phase half) {
        @Override
        public String toString() {
            return "saturated: " + saturated + "; half load: " + half;
        }
    }

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int slots = ctx.config().e2eSlots();
        int producers = ctx.config().e2eProducers();
        for (String runner : ctx.runnerNames()) {
            for (int batch : ctx.config().e2eBatches()) {
                run(ctx, runner, slots, producers, batch);
            }
        }
    }

    private void run(BenchContext ctx, String runner, int slots, int producers, int batch) throws Exception {
        String pushes = pushes(batch);
        String suffix = (batch == 1 ? "" : ", " + pushes) + ctx.suffix(runner);
        Supplier<RunnerUnderTest> runners = Runners.named(runner);
        List<Outcome> outcomes = Repeats.run("e2e " + producers + " producers (" + pushes + "), " + slots + " slots" + ctx.suffix(runner),
                ctx.config().repeats(), ctx.log(),
                i -> pass(ctx, runners, slots, producers, batch, i == 0 ? scaled(ctx.config().e2eTime(), 0.5) : ctx.config().e2eTime()));
        double ceiling = CeilingScenario.ceiling(ctx.results());
        Summary rate = Repeats.summary(outcomes, o -> o.saturated().jobsPerSecond());
        String where = producers + " producers (" + pushes + "), " + slots + " slots";
        ctx.results().add(name(), "saturated, " + where + ctx.suffix(runner), "jobs/s", rate,
                outcomes.get(outcomes.size() / 2).saturated().cpu()
                        + (Double.isNaN(ceiling) ? "" : String.format(", %.0f%% of ceiling", 100 * rate.median() / ceiling)));
        addLatencies(ctx, "saturated (backlog <= " + BACKLOG + ")" + suffix, outcomes, Outcome::saturated);
        ctx.results().add(name(), "half load" + suffix, "jobs/s", Repeats.summary(outcomes, o -> o.half().jobsPerSecond()),
                "paced at 50% of saturated");
        addLatencies(ctx, "half load" + suffix, outcomes, Outcome::half);
        Outcome last = outcomes.get(outcomes.size() - 1);
        if (batch == 1) {
            ctx.results().latencies("end-to-end, saturated, " + runner, last.saturated().sorted());
            ctx.results().latencies("end-to-end, half load, " + runner, last.half().sorted());
        }
    }

    /** How the producers push, as the result labels name it: "single pushes" or "batches of N". */
    public static String pushes(int batch) {
        return batch == 1 ? "single pushes" : "batches of " + batch;
    }

    private void addLatencies(BenchContext ctx, String label, List<Outcome> outcomes, Function<Outcome, Phase> phase) {
        ctx.results().add(name(), "pickup p50, " + label, "ms", Repeats.summary(outcomes, o -> phase.apply(o).p50()), "");
        ctx.results().add(name(), "pickup p99, " + label, "ms", Repeats.summary(outcomes, o -> phase.apply(o).p99()), "");
        ctx.results().add(name(), "pickup p999, " + label, "ms", Repeats.summary(outcomes, o -> phase.apply(o).p999()), "");
    }

    private static Duration scaled(Duration d, double factor) {
        return Duration.ofNanos((long) (d.toNanos() * factor));
    }

    private Outcome pass(BenchContext ctx, Supplier<RunnerUnderTest> runners, int slots, int producers, int batch, Duration length)
            throws Exception {
        String prefix = ctx.redis().newPrefix();
        QueueName queue = BenchJobs.queue("e2e");
        AtomicReference<HandlerProbe> current = new AtomicReference<>();
        try (JobRunnerClient client = JobRunnerClient.connect(ctx.redis().settings(prefix));
             RunnerUnderTest runner = runners.get()) {
            runner.start(client.settings(), slots, job -> current.get().handle(job));
            Semaphore backlog = new Semaphore(BACKLOG);
            int capacity = (int) Math.min(20_000_000, Math.max(100_000, length.toMillis() * 300));
            HandlerProbe saturatedProbe = new HandlerProbe(capacity, job -> backlog.release());
            current.set(saturatedProbe);
            Phase saturated = phase(ctx, client, queue, producers, batch, length, saturatedProbe, 0, backlog);
            HandlerProbe halfProbe = new HandlerProbe(capacity, job -> { });
            current.set(halfProbe);
            Phase half = phase(ctx, client, queue, producers, batch, length, halfProbe, saturated.jobsPerSecond() / 2, null);
            return new Outcome(saturated, half);
        } finally {
            ctx.redis().clean(prefix);
        }
    }

    /** One phase: paced at {@code rate} jobs/s when rate > 0, else as fast as the backlog allows; {@code batch} jobs a call. */
    private Phase phase(BenchContext ctx, JobRunnerClient client, QueueName queue, int producers, int batch, Duration length,
                        HandlerProbe probe, double rate, Semaphore backlog) throws Exception {
        JobProducer producer = client.producer();
        int paramsBytes = ctx.config().paramsBytes();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long interval = rate > 0 ? (long) (1e9 * producers * batch / rate) : 0;
        for (int p = 0; p < producers; p++) {
            long offset = interval * p / producers;
            Thread t = new Thread(() -> {
                try {
                    long next = start + offset;
                    while (System.nanoTime() < end) {
                        if (backlog != null) {
                            if (!backlog.tryAcquire(batch, 10, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                        } else {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            next += interval;
                        }
                        producer.push(BenchJobs.jobs(queue, batch, paramsBytes));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-e2e-producer-" + p);
            threads.add(t);
            t.start();
        }
        long steady = start + length.toNanos() / 5;
        LockSupport.parkNanos(steady - System.nanoTime());
        long h0 = probe.handled();
        probe.recording(true);
        CpuMeter cpu = CpuMeter.start(ctx.redis());
        long t0 = System.nanoTime();
        LockSupport.parkNanos(end - t0);
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
        long h1 = probe.handled();
        long t1 = System.nanoTime();
        probe.recording(false);
        CpuMeter.Usage usage = cpu.stop();
        for (Thread t : threads) {
            t.join(60_000);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a producer failed: " + failure.get().getMessage(), failure.get());
        }
        if (!QueueDrain.awaitEmpty(client, List.of(queue), ctx.config().maxPassTime())) {
            ctx.log().println("  e2e: the runner did not empty the queue in time");
        }
        long[] sorted = probe.latencies().sorted();
        return new Phase((h1 - h0) / ((t1 - t0) / 1e9), Latencies.percentileMillis(sorted, 50),
                Latencies.percentileMillis(sorted, 99), Latencies.percentileMillis(sorted, 99.9), sorted, usage);
    }
}
