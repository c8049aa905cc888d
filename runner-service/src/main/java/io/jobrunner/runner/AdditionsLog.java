package io.jobrunner.runner;

import io.jobrunner.client.QueueName;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Queues that became known to {@link ReadyQueues}, numbered from 1: {@link #count()} says how many, and the
 * last {@value #REMEMBERED} are kept ({@link #at}), so pickers add those to their sorted views instead of
 * rebuilding them. With thousands of queues a rebuild costs milliseconds, and a queue becomes known again at
 * every push that finds it empty. Lock-free: one writer per addition, any number of readers.
 */
final class AdditionsLog {

    /** How many of the latest additions {@link #at} remembers. */
    static final int REMEMBERED = 1024;

    private record Added(long seq, QueueName queue) {
    }

    private final AtomicLong count = new AtomicLong();
    private final AtomicReferenceArray<Added> recent = new AtomicReferenceArray<>(REMEMBERED);

    /** How many times a queue became known. */
    long count() {
        return count.get();
    }

    /**
     * The queue that became known as addition number {@code seq}, or null when that is no longer remembered or
     * not written yet (the caller then reads {@link ReadyQueues#queues()} instead).
     */
    QueueName at(long seq) {
        Added a = recent.get((int) (seq % REMEMBERED));
        return a != null && a.seq() == seq ? a.queue() : null;
    }

    /** Records a queue that became known (after it is in the cache). */
    void add(QueueName queue) {
        long seq = count.incrementAndGet();
        recent.set((int) (seq % REMEMBERED), new Added(seq, queue));
    }
}
