package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.runner.Caps;
import io.jobrunner.runner.JobClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The batches running in this runner, across groups: the caps ({@code concurrency.per-type} / {@code per-domain})
 * count them, the parallel rule asks how many run on one queue, {@code /status} lists them, and shutdown stops
 * the processes still running after the grace. Thread-safe (one lock).
 */
final class RunningBatches {

    /** One running batch; {@code process} is set once it started (null for http). */
    static final class Entry {
        final MwQueue queue;
        final String group;
        final int slot;
        final JobClass jobClass;
        final long startNanos = System.nanoTime();
        volatile Process process;

        Entry(MwQueue queue, String group, int slot, JobClass jobClass) {
            this.queue = queue;
            this.group = group;
            this.slot = slot;
            this.jobClass = jobClass;
        }
    }

    private final Caps perType;
    private final Caps perDomain;
    private final List<Entry> entries = new ArrayList<>();

    RunningBatches(Caps perType, Caps perDomain) {
        this.perType = perType;
        this.perDomain = perDomain;
    }

    /**
     * Registers a batch of {@code queue} unless a cap is reached or {@code mayStart}, told how many batches of the
     * queue run now, says no; null when it may not start now. {@code mayStart} runs under this lock, so it sees the
     * effects of every batch that {@link #finished} before.
     */
    synchronized Entry tryStart(MwQueue queue, String group, int slot, JobClass jobClass, IntPredicate mayStart) {
        if (atCap(perType, queue.type(), e -> e.queue.type().equals(queue.type()))
                || atCap(perDomain, queue.domain(), e -> e.queue.domain().equals(queue.domain()))
                || !mayStart.test(running(queue))) {
            return null;
        }
        Entry entry = new Entry(queue, group, slot, jobClass);
        entries.add(entry);
        return entry;
    }

    private boolean atCap(Caps caps, String name, java.util.function.Predicate<Entry> same) {
        int cap = caps.capOf(name);
        return cap > 0 && entries.stream().filter(same).count() >= cap;
    }

    synchronized boolean atCap(MwQueue queue) {
        return atCap(perType, queue.type(), e -> e.queue.type().equals(queue.type()))
                || atCap(perDomain, queue.domain(), e -> e.queue.domain().equals(queue.domain()));
    }

    synchronized void finished(Entry entry) {
        entries.remove(entry);
    }

    synchronized int running(MwQueue queue) {
        return (int) entries.stream().filter(e -> e.queue.equals(queue)).count();
    }

    synchronized List<Process> processes() {
        List<Process> out = new ArrayList<>();
        entries.forEach(e -> {
            if (e.process != null) {
                out.add(e.process);
            }
        });
        return out;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized List<Map<String, Object>> status() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queue", e.queue.toString());
            m.put("class", e.jobClass.name().toLowerCase(java.util.Locale.ROOT));
            m.put("group", e.group);
            m.put("slot", e.slot);
            m.put("pid", e.process == null ? 0 : e.process.pid());
            m.put("elapsedMs", Duration.ofNanos(System.nanoTime() - e.startNanos).toMillis());
            out.add(m);
        }
        return out;
    }
}
