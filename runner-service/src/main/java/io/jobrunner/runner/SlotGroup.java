package io.jobrunner.runner;

import io.jobrunner.runner.executor.ExecutionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The slot threads of one group ({@code jobrunner.runner.groups.<name>}).
 * <ol>
 *   <li>owns its slot threads, named {@code slot-<group>-<n>}, and replaces one that dies (a slot never
 *       restarts itself), or one stuck in an executor past its stop grace after a cancellation
 *       ({@link #giveUpStuck}: the job goes back as a retry and the stuck thread is left to end on its own);</li>
 *   <li>reports busy slots, utilisation and the measured share ({@link #status}) from its {@link GroupWork}.</li>
 * </ol>
 */
final class SlotGroup implements SlotThreads {

    private static final Logger log = LoggerFactory.getLogger(SlotGroup.class);

    private final GroupWork work;
    private final Function<SlotSeat, Slot> slots;
    private final RunnerLifecycle lifecycle;
    private final JobOutcomes outcomes;
    private final RunningJobs running;
    private final RunnerMetrics metrics;
    /** The current thread of each slot; written under this group's lock, read by slots without it. */
    private final AtomicReferenceArray<Thread> threads;
    /** Threads given up while stuck in an executor; counted while alive. */
    private final Set<Thread> stuck = ConcurrentHashMap.newKeySet();

    /** @param slots makes the slot that sits at a seat of this group */
    SlotGroup(GroupWork work, Function<SlotSeat, Slot> slots, RunnerLifecycle lifecycle, JobOutcomes outcomes, RunningJobs running,
              RunnerMetrics metrics) {
        this.work = work;
        this.slots = slots;
        this.lifecycle = lifecycle;
        this.outcomes = outcomes;
        this.running = running;
        this.metrics = metrics;
        this.threads = new AtomicReferenceArray<>(work.settings().slots());
    }

    GroupWork work() {
        return work;
    }

    String name() {
        return work.name();
    }

    private String slotName(int index) {
        return "slot-" + work.name() + "-" + (index + 1);
    }

    synchronized void start() {
        for (int i = 0; i < threads.length(); i++) {
            startSlot(i);
        }
    }

    private synchronized void startSlot(int index) {
        Slot slot = slots.apply(new SlotSeat(index, slotName(index), work, this));
        Thread t = new Thread(slot::run, slotName(index));
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> slotDied(index, thread, e));
        threads.set(index, t);
        t.start();
    }

    private void slotDied(int index, Thread thread, Throwable e) {
        work.slotDied(index, System.nanoTime());
        metrics.slotsReplaced.mark();
        synchronized (this) {
            if (lifecycle.stopping() || threads.get(index) != thread) {
                log.error("{} died: {}", thread.getName(), e.toString(), e);
                return;
            }
            log.error("{} died: {}; starting a new one", thread.getName(), e.toString(), e);
            startSlot(index);
        }
    }

    @Override
    public boolean owns(int index) {
        return threads.get(index) == Thread.currentThread();
    }

    /**
     * Reports the stuck run's outcome (a retry, or a give-back when stopping) and starts a new thread for the
     * slot, so a handler that ignores interrupts costs its own thread, not the group's capacity.
     */
    @Override
    public void giveUpStuck(int index, Thread thread, JobRun run) {
        if (!run.takeOutcome()) {
            return; // the executor returned meanwhile; its slot reports
        }
        work.finished(index, System.nanoTime());
        metrics.slotsReplaced.mark();
        String message = "the executor did not return within its stop grace after the run was cancelled ("
                + run.cancelReason() + ", " + run.elapsedNanos() / 1_000_000 + " ms after the start); thread "
                + thread.getName() + " was left running";
        run.log().warn("{}; giving the job back and replacing the slot", message);
        try {
            outcomes.finished(run, ExecutionResult.retry(message));
        } finally {
            running.remove(run);
            synchronized (this) {
                stuck.add(thread);
                if (threads.get(index) == thread && !lifecycle.stopping()) {
                    thread.setName(thread.getName() + "-stuck");
                    startSlot(index);
                }
            }
        }
    }

    /** Threads given up while stuck in an executor that have not returned yet. */
    int stuck() {
        stuck.removeIf(t -> !t.isAlive());
        return stuck.size();
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
        GroupSettings s = work.settings();
        return new RunnerStatus.GroupStatus(s.name(), s.slots(), work.busy(), work.highShare(), s.highShare(),
                work.utilisation(), s.types().patterns(), s.exclude().patterns(), s.lowPriority().patterns(), stuck());
    }
}
