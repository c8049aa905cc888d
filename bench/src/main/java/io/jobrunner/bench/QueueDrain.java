package io.jobrunner.bench;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueCounts;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.PushResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/** Helpers shared by the scenarios that fill queues and wait for a runner to empty them. */
public final class QueueDrain {

    private QueueDrain() {
    }

    /** Pushes {@code perQueue} jobs into each queue, in pipelined calls of up to 1000 jobs. */
    public static void fill(JobRunnerClient client, List<QueueName> queues, int perQueue, int paramsBytes) {
        fill(client, queues, perQueue, paramsBytes, false);
    }

    /** As {@link #fill(JobRunnerClient, List, int, int)}; with {@code priorities}, job i gets priority i % 10. */
    public static void fill(JobRunnerClient client, List<QueueName> queues, int perQueue, int paramsBytes, boolean priorities) {
        JobProducer producer = client.producer();
        List<Job> batch = new ArrayList<>(1000);
        List<CompletableFuture<PushResult>> pending = new ArrayList<>();
        for (QueueName queue : queues) {
            for (int i = 0; i < perQueue; i++) {
                Job job = BenchJobs.job(queue, paramsBytes);
                batch.add(priorities ? job.withPriority(i % 10) : job);
                if (batch.size() == 1000) {
                    pending.add(producer.pushAsync(batch));
                    batch = new ArrayList<>(1000);
                    if (pending.size() >= 8) {
                        pending.forEach(CompletableFuture::join);
                        pending.clear();
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            pending.add(producer.pushAsync(batch));
        }
        pending.forEach(CompletableFuture::join);
    }

    /**
     * Pushes {@code count} jobs, {@code job.apply(i)} for i = 0..count-1 (all of one queue per call of 1000), eight calls
     * in flight; stops early once {@code deadlineNanos} (a {@link System#nanoTime()}) has passed. Returns the jobs pushed.
     */
    public static long push(JobRunnerClient client, long count, LongFunction<Job> job, long deadlineNanos) {
        JobProducer producer = client.producer();
        List<CompletableFuture<PushResult>> pending = new ArrayList<>();
        long sent = 0;
        while (sent < count && System.nanoTime() < deadlineNanos) {
            int size = (int) Math.min(1000, count - sent);
            List<Job> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(job.apply(sent + i));
            }
            pending.add(producer.pushAsync(batch));
            sent += size;
            if (pending.size() >= 8) {
                pending.forEach(CompletableFuture::join);
                pending.clear();
            }
        }
        pending.forEach(CompletableFuture::join);
        return sent;
    }

    /** Waits (1 ms polls) until none of the queues has a ready or claimed job; false if the time ran out. */
    public static boolean awaitEmpty(JobRunnerClient client, Collection<QueueName> queues, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<QueueName> pending = new ArrayList<>(queues);
        while (System.nanoTime() < deadline) {
            List<QueueName> still = new ArrayList<>();
            for (QueueCounts c : client.inspector().counts(pending)) {
                if (c.ready() > 0 || c.claimed() > 0) {
                    still.add(c.queue());
                }
            }
            if (still.isEmpty()) {
                return true;
            }
            pending = still;
            Thread.sleep(1);
        }
        return false;
    }

    /** Waits until the probe has started {@code count} jobs (10 ms polls); false if the time ran out. */
    public static boolean awaitHandled(HandlerProbe probe, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (probe.handled() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(probe.handled() > count * 0.99 ? 1 : 10);
        }
        return true;
    }
}
