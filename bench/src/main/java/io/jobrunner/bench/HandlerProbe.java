package io.jobrunner.bench;

import io.jobrunner.bench.runner.BenchHandler;
import io.jobrunner.client.Job;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The bench's no-op handler, which records: jobs started, the first and last start time, and (while
 * recording is on) each job's pickup latency, from its producer stamp to the start of the handler.
 */
public final class HandlerProbe implements BenchHandler {

    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private final Latencies latencies;
    private final Consumer<Job> after;
    private volatile boolean recording;

    /** A probe keeping up to {@code latencyCapacity} latencies; {@code after} runs after each job is counted. */
    public HandlerProbe(int latencyCapacity, Consumer<Job> after) {
        this.latencies = new Latencies(latencyCapacity);
        this.after = after;
    }

    public HandlerProbe() {
        this(0, job -> { });
    }

    @Override
    public void handle(Job job) {
        long now = System.nanoTime();
        first.compareAndSet(0, now);
        last.accumulateAndGet(now, Math::max);
        if (recording) {
            long stamp = BenchJobs.stamp(job);
            if (stamp != 0) {
                latencies.record(now - stamp);
            }
        }
        handled.incrementAndGet();
        after.accept(job);
    }

    public void recording(boolean on) {
        recording = on;
    }

    public long handled() {
        return handled.get();
    }

    /** nanoTime of the first job's start, 0 before. */
    public long firstStart() {
        return first.get();
    }

    public long lastStart() {
        return last.get();
    }

    public Latencies latencies() {
        return latencies;
    }
}
