package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.DispatchSettings;
import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.mediawiki.MwServer;
import io.jobrunner.mediawiki.MwSettings;
import io.jobrunner.mediawiki.Placeholders;
import io.jobrunner.runner.GroupSettings;
import io.jobrunner.runner.JobClass;
import io.jobrunner.runner.TimeShare;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One runner group in MediaWiki mode: {@code slots} threads ({@code slot-<group>-<n>}), each repeating one step:
 * <ol>
 *   <li>pick: the class the {@link TimeShare} prefers (the other when it has no ready queue), then a queue of that
 *       class by {@link QueueRotation}, skipping backed-off queues and queues at a cap;</li>
 *   <li>readiness check ({@code check-ready}): the queue's ready jobs on every queue server ({@code LLEN}); an empty
 *       queue is forgotten without starting PHP; a queue already in batches here gets another only with a backlog;</li>
 *   <li>one batch ({@link MwBatch} or {@link HttpBatch}), the slot busy in the pick's class from start to exit;</li>
 *   <li>its end applied ({@link BatchOutcomes}).</li>
 * </ol>
 * With nothing to pick the slot waits for the next refresh. A step's failure is logged, counted and backed off;
 * the slot goes on.
 */
final class BatchGroup {

    private static final Logger log = LoggerFactory.getLogger(BatchGroup.class);

    /** What a group shares with the others. */
    record Shared(MwSettings settings, MwReadyView view, MwBackoffs backoffs, RunningBatches running, BatchOutcomes outcomes,
                  MwBatch batch, HttpBatch http, List<MwServer> queueServers, MwRunnerMetrics metrics, Clock clock,
                  Duration refreshInterval, Map<String, Long> meanBatchNanos) {
    }

    private final GroupSettings group;
    private final Shared shared;
    private final TimeShare share;
    private final Map<JobClass, QueueRotation> rotations = new ConcurrentHashMap<>();
    /** The current thread of each slot; replaced under this group's lock when one dies. */
    private final AtomicReferenceArray<Thread> threads;
    private final Object idle = new Object();
    private volatile boolean stopping;

    BatchGroup(GroupSettings group, Duration shareWindow, Shared shared) {
        this.group = group;
        this.shared = shared;
        this.share = new TimeShare(shareWindow.toNanos(), group.highShare(), group.slots());
        this.threads = new AtomicReferenceArray<>(group.slots());
    }

    synchronized void start() {
        for (int i = 0; i < threads.length(); i++) {
            startSlot(i, false);
        }
    }

    private synchronized void startSlot(int slot, boolean replacement) {
        Thread t = new Thread(() -> loop(slot, replacement), "slot-" + group.name() + "-" + (slot + 1));
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> slotDied(slot, thread, e));
        threads.set(slot, t);
        t.start();
    }

    /**
     * A slot thread died of an {@link Error} (a step catches every RuntimeException itself): logged, counted
     * ({@code jobrunner_runner_slots_replaced_total}) and replaced by a new thread, which waits a second before its
     * first pick so an Error that repeats cannot spin. The slot's batch was finished by its own {@code finally}.
     */
    private void slotDied(int slot, Thread thread, Throwable e) {
        shared.metrics().slotsReplaced().mark();
        synchronized (this) {
            if (stopping || threads.get(slot) != thread) {
                log.error("{} died: {}", thread.getName(), e.toString(), e);
                return;
            }
            log.error("{} died: {}; starting a new one", thread.getName(), e.toString(), e);
            startSlot(slot, true);
        }
    }

    /** Stops picking; idle slots end at once, busy ones after their batch. */
    void stopPicking() {
        stopping = true;
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /** Waits until every slot ended or the deadline (System.nanoTime) passed; true when all ended. */
    boolean awaitSlots(long deadlineNanos) throws InterruptedException {
        for (int i = 0; i < threads.length(); i++) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                threads.get(i).join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        for (int i = 0; i < threads.length(); i++) {
            if (threads.get(i).isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Slot threads alive now (a slot that died is replaced at once). */
    int slotsAlive() {
        int alive = 0;
        for (int i = 0; i < threads.length(); i++) {
            Thread t = threads.get(i);
            alive += t != null && t.isAlive() ? 1 : 0;
        }
        return alive;
    }

    int slots() {
        return threads.length();
    }

    String name() {
        return group.name();
    }

    boolean stopping() {
        return stopping;
    }

    Double highShare() {
        return share.highShare(System.nanoTime());
    }

    double utilisation() {
        return share.utilisation(System.nanoTime());
    }

    private void loop(int slot, boolean replacement) {
        if (replacement) {
            park(Duration.ofSeconds(1));
        }
        while (!stopping) {
            try {
                if (!step(slot)) {
                    park(shared.refreshInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                shared.metrics().stepErrors().mark();
                log.warn("slot {} of group {}: step failed, going on: {}", slot + 1, group.name(), e.toString());
                park(Duration.ofSeconds(1));
            }
        }
    }

    /** One pick and batch; false when there was nothing to run. */
    private boolean step(int slot) throws InterruptedException {
        shared.view().refreshIfDue();
        long nowMs = shared.clock().millis();
        List<MwQueue> high = new ArrayList<>();
        List<MwQueue> low = new ArrayList<>();
        for (MwQueue q : shared.view().ready()) {
            JobClass c = group.classify(q.type());
            if (c != null && !shared.backoffs().isBackedOff(q, nowMs) && !shared.running().atCap(q)) {
                (c == JobClass.HIGH ? high : low).add(q);
            }
        }
        if (high.isEmpty() && low.isEmpty()) {
            return false;
        }
        JobClass first = share.preferred(System.nanoTime());
        for (JobClass c : first == JobClass.HIGH ? List.of(JobClass.HIGH, JobClass.LOW) : List.of(JobClass.LOW, JobClass.HIGH)) {
            Set<MwQueue> left = new HashSet<>(c == JobClass.HIGH ? high : low);
            QueueRotation rotation = rotations.computeIfAbsent(c, k -> new QueueRotation());
            while (!left.isEmpty() && !stopping) {
                MwQueue q = rotation.next(left);
                left.remove(q);
                long ready = -1;
                if (shared.settings().dispatch().checkReady()) {
                    ready = readyJobs(q);
                    if (ready == 0) {
                        shared.view().drained(q);
                        shared.metrics().batch(q, "skipped-empty");
                        continue;
                    }
                }
                long seen = ready;
                // decided under the running batches' lock: a batch of this queue that ended meanwhile has applied its
                // outcome (backoff, drained) before it left, so two slots never both start on one ready job
                RunningBatches.Entry entry = shared.running().tryStart(q, group.name(), slot, c, running -> mayStart(q, seen, running));
                if (entry != null) {
                    runBatch(slot, q, c, ready, entry);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a batch of {@code q} may start while {@code running} of its batches run here: not while the queue is
     * backed off or known drained, and beside running batches only with a backlog ({@code parallel-threshold} ready
     * jobs per running batch; {@code ready} is -1 when not counted).
     */
    private boolean mayStart(MwQueue q, long ready, int running) {
        if (shared.backoffs().isBackedOff(q, shared.clock().millis()) || !shared.view().isReady(q)) {
            return false;
        }
        return running == 0 || ready > (long) running * shared.settings().dispatch().parallelThreshold();
    }

    /** Ready jobs of the queue summed over every queue server; -1 when a server could not tell (then run anyway). */
    private long readyJobs(MwQueue q) {
        long sum = 0;
        String key = q.key("l-unclaimed");
        for (MwServer server : shared.queueServers()) {
            if (server.isDown()) {
                continue;
            }
            try {
                sum += server.sync().llen(key);
            } catch (RuntimeException e) {
                server.failed();
                shared.metrics().redisErrors().mark();
                return -1;
            }
        }
        return sum;
    }

    private void runBatch(int slot, MwQueue q, JobClass c, long ready, RunningBatches.Entry entry) throws InterruptedException {
        DispatchSettings dispatch = shared.settings().dispatch();
        long maxtime = c == JobClass.HIGH ? dispatch.maxtimeHigh() : dispatch.maxtimeLow();
        Duration timeout = shared.settings().limits().processTimeout(q.type());
        RunJobsResult.JobListener listener = (type, ok, timeMs) -> shared.metrics().job(q, type, ok, timeMs);
        String where = "(group " + group.name() + ", slot " + (slot + 1) + ")";
        share.started(slot, c, System.nanoTime(), shared.meanBatchNanos().getOrDefault(q.type(), 0L));
        try {
            Placeholders values;
            try {
                values = Placeholders.of(q.domain(), q.type(), maxtime, shared.settings().limits().memory(q.type()));
            } catch (IllegalArgumentException e) {
                long now = shared.clock().millis();
                if (shared.backoffs().queue(q, now + shared.settings().backoff().nonePossible().toMillis(), now)) {
                    log.warn("queue {} is not a MediaWiki domain ID: {}; skipped", q, e.getMessage());
                }
                return;
            }
            BatchRun run = dispatch.kind() == DispatchSettings.Kind.HTTP ? shared.http().run(values, timeout, listener)
                    : shared.batch().run(q, values, timeout, listener, process -> entry.process = process);
            shared.meanBatchNanos().merge(q.type(), run.elapsed().toNanos(), (old, now) -> (old * 7 + now) / 8);
            shared.outcomes().apply(q, run, ready, () -> readyJobs(q), where + (run.pid() > 0 ? " pid " + run.pid() : ""));
        } finally {
            share.finished(slot, System.nanoTime());
            shared.running().finished(entry);
        }
    }

    private void park(Duration d) {
        synchronized (idle) {
            if (stopping) {
                return;
            }
            try {
                idle.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }
}
