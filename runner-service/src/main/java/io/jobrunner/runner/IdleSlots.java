package io.jobrunner.runner;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a group's idle slots wait, and how work reaches them directly.
 * <ol>
 *   <li>{@link #await}: an idle slot parks until it is handed a signal or its timeout (the fallback) passes;</li>
 *   <li>{@link #wakeOne}: unparks the most recently parked slot (a warm thread), so a wake-up reaches one
 *       waiting slot without a thundering herd; {@link #wakeAll} for shutdown and refreshes;</li>
 *   <li>no lost signals: a slot reads {@link #generation()} before it looks for work and passes it to
 *       {@link #await}, which returns at once if a signal came in between.</li>
 * </ol>
 */
final class IdleSlots {

    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile boolean signalled;
    }

    private final AtomicLong generation = new AtomicLong();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

    long generation() {
        return generation.get();
    }

    /** Number of slots parked now. */
    synchronized int waitingCount() {
        return waiting.size();
    }

    /**
     * Parks until signalled, interrupted or {@code timeoutNanos} passed; returns at once when a signal came
     * since {@code seenGeneration} was read. Returns true when signalled.
     */
    boolean await(long seenGeneration, long timeoutNanos) {
        Waiter w = new Waiter();
        synchronized (this) {
            if (generation.get() != seenGeneration) {
                return true;
            }
            waiting.push(w);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (!w.signalled) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        if (!w.signalled) {
            synchronized (this) {
                waiting.remove(w);
            }
        }
        return w.signalled;
    }

    /** Hands a signal to one parked slot (if any); slots looking for work right now see the new generation. */
    void wakeOne() {
        Waiter w;
        synchronized (this) {
            generation.incrementAndGet();
            w = waiting.poll();
        }
        if (w != null) {
            w.signalled = true;
            LockSupport.unpark(w.thread);
        }
    }

    void wakeAll() {
        ArrayDeque<Waiter> all;
        synchronized (this) {
            generation.incrementAndGet();
            all = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        for (Waiter w : all) {
            w.signalled = true;
            LockSupport.unpark(w.thread);
        }
    }
}
