package io.jobrunner.runner;

import io.jobrunner.client.QueueName;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the slots of one group ({@code jobrunner.runner.groups.<name>}) share while they work:
 * <ol>
 *   <li>which class a free slot serves ({@link #pick}): the one below its target share of busy time
 *       ({@link TimeShare}), else the other, so a class with no ready work yields its share at once; then its
 *       {@link QueuePicker} picks a queue or a buffered job of that class;</li>
 *   <li>the {@link IdleSlots} where its idle slots wait for wake-ups;</li>
 *   <li>the counts of slots holding a pick ({@link #hold}) and running an executor ({@link #started}).</li>
 * </ol>
 * The group's threads are {@link SlotGroup}'s.
 */
final class GroupWork {

    private final GroupSettings settings;
    private final QueuePicker picker;
    private final ConcurrencyLimiter limiter;
    private final TimeShare share;
    private final IdleSlots idle = new IdleSlots();
    /** Slots that hold a pick (claiming or running). */
    private final AtomicInteger active = new AtomicInteger();
    /** Slots running an executor now. */
    private final AtomicInteger busy = new AtomicInteger();

    GroupWork(GroupSettings settings, QueuePicker picker, ConcurrencyLimiter limiter, Duration shareWindow) {
        this.settings = settings;
        this.picker = picker;
        this.limiter = limiter;
        this.share = new TimeShare(shareWindow.toNanos(), settings.highShare(), settings.slots());
    }

    GroupSettings settings() {
        return settings;
    }

    String name() {
        return settings.name();
    }

    IdleSlots idle() {
        return idle;
    }

    /** The work a free slot should do now: the preferred class first, else the other; null when there is none. */
    QueuePicker.Pick pick() {
        JobClass first = settings.lowPriority().isEmpty() ? JobClass.HIGH : share.preferred(System.nanoTime());
        QueuePicker.Pick p = picker.pick(first);
        if (p == null && !settings.lowPriority().isEmpty()) {
            p = picker.pick(first.other());
        }
        return p;
    }

    /** What a slot holds while it works on a pick of {@code queue} (the pick took the reservation). */
    PickHold hold(QueueName queue) {
        return new PickHold(queue, limiter, active);
    }

    boolean serves(String type) {
        return picker.classOf(type) != null;
    }

    /** Slots that hold a pick now. */
    int active() {
        return active.get();
    }

    void started(int index, JobClass c, long now, long expectedNanos) {
        busy.incrementAndGet();
        share.started(index, c, now, expectedNanos);
    }

    void finished(int index, long now) {
        share.finished(index, now);
        busy.decrementAndGet();
    }

    /** The slot's thread died: its busy time, if any, ends (its busy count was already given back). */
    void slotDied(int index, long now) {
        share.finished(index, now);
    }

    void wakeOne() {
        idle.wakeOne();
    }

    void wakeAll() {
        idle.wakeAll();
    }

    int busy() {
        return busy.get();
    }

    /** Measured high-class share of busy time over the window, or null when idle all window. */
    Double highShare() {
        return share.highShare(System.nanoTime());
    }

    double utilisation() {
        return share.utilisation(System.nanoTime());
    }
}
