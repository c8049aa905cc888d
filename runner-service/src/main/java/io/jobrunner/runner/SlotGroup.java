package io.jobrunner.runner;

import io.jobrunner.runner.executor.ExecutionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One group of slots ({@code jobrunner.runner.groups.<name>}).
 * <ol>
 *   <li>owns its slot threads, named {@code slot-<group>-<n>}, and replaces one that dies (a slot never
 *       restarts itself), or one stuck in an executor past its stop grace after a cancellation
 *       ({@link #giveUpStuck}: the job goes back as a retry and the stuck thread is left to end on its own);</li>
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
    /** The current thread of each slot; written under this group's lock, read by slots without it. */
    private final AtomicReferenceArray<Thread> threads;
    /** Slots that hold a pick (claiming or running). */
    final AtomicInteger active = new AtomicInteger();
    /** Slots running an executor now. */
    private final AtomicInteger busy = new AtomicInteger();
    /** Threads given up while stuck in an executor; counted while alive. */
    private final Set<Thread> stuck = ConcurrentHashMap.newKeySet();

    SlotGroup(GroupSettings settings, RunnerParts parts) {
        this.settings = settings;
        this.parts = parts;
        this.share = new TimeShare(parts.settings.shareWindow().toNanos(), settings.highShare(), settings.slots());
        this.picker = new QueuePicker(settings, parts.ready, parts.buffer, parts.limiter, parts.controls::isPaused);
        this.threads = new AtomicReferenceArray<>(settings.slots());
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
        for (int i = 0; i < threads.length(); i++) {
            startSlot(i);
        }
    }

    private synchronized void startSlot(int index) {
        Slot slot = new Slot(this, index, parts);
        Thread t = new Thread(slot::run, slotName(index));
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> slotDied(index, thread, e));
        threads.set(index, t);
        t.start();
    }

    private void slotDied(int index, Thread thread, Throwable e) {
        share.finished(index, System.nanoTime());
        parts.metrics.slotsReplaced.mark();
        synchronized (this) {
            if (parts.stopping() || threads.get(index) != thread) {
                log.error("{} died: {}", thread.getName(), e.toString(), e);
                return;
            }
            log.error("{} died: {}; starting a new one", thread.getName(), e.toString(), e);
            startSlot(index);
        }
    }

    /** True while {@code index}'s slot is the calling thread (false once it was replaced). */
    boolean owns(int index) {
        return threads.get(index) == Thread.currentThread();
    }

    /**
     * The run's executor did not return within its stop grace after the run was cancelled: reports the run's
     * outcome (a retry, or a give-back when stopping) and starts a new thread for the slot, so a handler that
     * ignores interrupts costs its own thread, not the group's capacity. Called on the timeout thread.
     */
    void giveUpStuck(int index, Thread thread, JobRun run) {
        if (!run.takeOutcome()) {
            return; // the executor returned meanwhile; its slot reports
        }
        long now = System.nanoTime();
        share.finished(index, now);
        busy.decrementAndGet();
        parts.metrics.slotsReplaced.mark();
        String message = "the executor did not return within its stop grace after the run was cancelled ("
                + run.cancelReason() + ", " + run.elapsedNanos() / 1_000_000 + " ms after the start); thread "
                + thread.getName() + " was left running";
        run.log().warn("{}; giving the job back and replacing the slot", message);
        try {
            parts.outcomes.finished(run, ExecutionResult.retry(message));
        } finally {
            parts.running.remove(run);
            synchronized (this) {
                stuck.add(thread);
                if (threads.get(index) == thread && !parts.stopping()) {
                    thread.setName(thread.getName() + "-stuck");
                    startSlot(index);
                }
            }
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

    /** Threads given up while stuck in an executor that have not returned yet. */
    int stuck() {
        stuck.removeIf(t -> !t.isAlive());
        return stuck.size();
    }

    /** Measured high-class share of busy time over the window, or null when idle all window. */
    Double highShare() {
        return share.highShare(System.nanoTime());
    }

    /** Slot threads alive now (a slot that died is replaced at once; this is what /livez checks). */
    int slotsAlive() {
        int alive = 0;
        for (int i = 0; i < threads.length(); i++) {
            Thread t = threads.get(i);
            if (t != null && t.isAlive()) {
                alive++;
            }
        }
        return alive;
    }

    double utilisation() {
        return share.utilisation(System.nanoTime());
    }

    /** Waits until every slot thread ended or the deadline passed; true when all ended. */
    boolean awaitSlots(long deadlineNanos) throws InterruptedException {
        for (int i = 0; i < threads.length(); i++) {
            Thread t = threads.get(i);
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
                utilisation(), settings.types().patterns(), settings.exclude().patterns(), settings.lowPriority().patterns(), stuck());
    }
}
