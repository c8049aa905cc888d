package io.jobrunner.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One group of slots ({@code jobrunner.runner.groups.<name>}).
 * <ol>
 *   <li>owns its slot threads, named {@code slot-<group>-<n>}, and replaces one that dies (a slot never
 *       restarts itself);</li>
 *   <li>decides which class a free slot serves ({@link #pick}): the one below its target share of busy time
 *       ({@link TimeShare}), else the other, so a class with no ready work yields its share at once;</li>
 *   <li>holds its {@link QueuePicker} and the {@link IdleSlots} where its idle slots wait for wake-ups;</li>
 *   <li>reports busy slots, utilisation and the measured share ({@link #status}).</li>
 * </ol>
 */
final class SlotGroup {

    private static final Logger log = LoggerFactory.getLogger(SlotGroup.class);

    private final GroupSettings settings;
    private final RunnerParts parts;
    private final TimeShare share;
    private final QueuePicker picker;
    private final IdleSlots idle = new IdleSlots();
    private final Thread[] threads;
    /** Slots that hold a pick (claiming or running). */
    final AtomicInteger active = new AtomicInteger();
    /** Slots running an executor now. */
    private final AtomicInteger busy = new AtomicInteger();

    SlotGroup(GroupSettings settings, RunnerParts parts) {
        this.settings = settings;
        this.parts = parts;
        this.share = new TimeShare(parts.settings.shareWindow().toNanos(), settings.highShare(), settings.slots());
        this.picker = new QueuePicker(settings, parts.ready, parts.buffer, parts.limiter);
        this.threads = new Thread[settings.slots()];
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

    String slotName(int index) {
        return "slot-" + settings.name() + "-" + (index + 1);
    }

    synchronized void start() {
        for (int i = 0; i < threads.length; i++) {
            startSlot(i);
        }
    }

    private synchronized void startSlot(int index) {
        Slot slot = new Slot(this, index, parts);
        Thread t = new Thread(slot::run, slotName(index));
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> slotDied(index, thread, e));
        threads[index] = t;
        t.start();
    }

    private void slotDied(int index, Thread thread, Throwable e) {
        share.finished(index, System.nanoTime());
        parts.metrics.slotsReplaced.inc();
        synchronized (this) {
            if (parts.stopping() || threads[index] != thread) {
                log.error("{} died: {}", thread.getName(), e.toString(), e);
                return;
            }
            log.error("{} died: {}; starting a new one", thread.getName(), e.toString(), e);
            startSlot(index);
        }
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

    boolean serves(String type) {
        return picker.classOf(type) != null;
    }

    void started(int index, JobClass c, long now, long expectedNanos) {
        busy.incrementAndGet();
        share.started(index, c, now, expectedNanos);
    }

    void finished(int index, long now) {
        share.finished(index, now);
        busy.decrementAndGet();
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

    /** Waits until every slot thread ended or the deadline passed; true when all ended. */
    boolean awaitSlots(long deadlineNanos) throws InterruptedException {
        for (int i = 0; i < threads.length; i++) {
            Thread t;
            synchronized (this) {
                t = threads[i];
            }
            long left = deadlineNanos - System.nanoTime();
            if (t != null && left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t != null && t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    RunnerStatus.GroupStatus status() {
        return new RunnerStatus.GroupStatus(settings.name(), settings.slots(), busy.get(), highShare(), settings.highShare(),
                utilisation(), settings.types().patterns(), settings.exclude().patterns(), settings.lowPriority().patterns());
    }
}
