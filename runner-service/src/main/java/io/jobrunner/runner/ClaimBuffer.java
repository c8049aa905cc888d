package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.QueueName;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Jobs this runner claimed in a batch but has not started yet. They are held only briefly: slots take them
 * before claiming more ({@link #take}), their claims are heartbeated like running ones, and the heartbeat
 * thread gives back ({@code requeue}, attempt not counted) those that waited longer than the buffer time
 * ({@link #takeOlderThan}); a stop gives back all of them ({@link #drain}). Whoever removes a job from here
 * owns it. Thread-safe (one lock; the buffer is small).
 */
final class ClaimBuffer {

    private record Waiting(ClaimedJob job, long sinceNanos) {
    }

    private final Map<QueueName, ArrayDeque<Waiting>> byQueue = new LinkedHashMap<>();
    private int size;

    synchronized void add(List<ClaimedJob> jobs, long nowNanos) {
        for (ClaimedJob job : jobs) {
            byQueue.computeIfAbsent(job.queue(), q -> new ArrayDeque<>()).addLast(new Waiting(job, nowNanos));
            size++;
        }
    }

    synchronized int size() {
        return size;
    }

    synchronized boolean has(QueueName queue) {
        ArrayDeque<Waiting> d = byQueue.get(queue);
        return d != null && !d.isEmpty();
    }

    /**
     * Takes the oldest job of the first queue that {@code accept} accepts (the predicate may reserve a
     * concurrency slot: it is called at most once per queue, and a queue it accepted gives a job).
     */
    synchronized ClaimedJob take(Predicate<QueueName> accept) {
        for (Map.Entry<QueueName, ArrayDeque<Waiting>> e : byQueue.entrySet()) {
            if (!e.getValue().isEmpty() && accept.test(e.getKey())) {
                return remove(e.getKey());
            }
        }
        return null;
    }

    /** Removes the jobs that have waited since before {@code cutoffNanos}. */
    synchronized List<ClaimedJob> takeOlderThan(long cutoffNanos) {
        List<ClaimedJob> out = new ArrayList<>();
        for (Iterator<ArrayDeque<Waiting>> it = byQueue.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Waiting> d = it.next();
            while (!d.isEmpty() && d.peekFirst().sinceNanos() - cutoffNanos < 0) {
                out.add(d.pollFirst().job());
                size--;
            }
            if (d.isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    /** Removes everything (shutdown). */
    synchronized List<ClaimedJob> drain() {
        List<ClaimedJob> out = new ArrayList<>(size);
        byQueue.values().forEach(d -> d.forEach(w -> out.add(w.job())));
        byQueue.clear();
        size = 0;
        return out;
    }

    private ClaimedJob remove(QueueName queue) {
        ArrayDeque<Waiting> d = byQueue.get(queue);
        Waiting w = d.pollFirst();
        if (d.isEmpty()) {
            byQueue.remove(queue);
        }
        size--;
        return w.job();
    }
}
