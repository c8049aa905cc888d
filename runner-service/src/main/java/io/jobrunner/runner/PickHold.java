package io.jobrunner.runner;

import io.jobrunner.client.QueueName;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a slot holds while it works on a pick: the queue's per-type/per-domain concurrency reservation and its
 * place in the group's count of active slots. Given back exactly once: by the slot when it is done, or by the
 * group when it gives up on the slot stuck in an executor, so a stuck thread keeps no reservation (with a cap of
 * 1 the type would never run again) and a bounded run can end.
 */
final class PickHold {

    private final QueueName queue;
    private final ConcurrencyLimiter limiter;
    private final AtomicInteger active;
    private final AtomicBoolean released = new AtomicBoolean();

    /** Takes the place in {@code active}; the reservation was taken by the pick. */
    PickHold(QueueName queue, ConcurrencyLimiter limiter, AtomicInteger active) {
        this.queue = queue;
        this.limiter = limiter;
        this.active = active;
        active.incrementAndGet();
    }

    void release() {
        if (released.compareAndSet(false, true)) {
            limiter.release(queue);
            active.decrementAndGet();
        }
    }
}
