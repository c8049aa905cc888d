package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.QueueName;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Picks the queue a free slot of one group serves next, within the class the group chose.
 * <ol>
 *   <li>jobs already claimed and buffered in this runner come first (they must start soon);</li>
 *   <li>then the ready queues ({@link ReadyQueues}) whose type the group serves in that class, fairly: round
 *       robin over domains, then over the types of the chosen domain, one turn per type however many partitions
 *       it has; a type's turns go round its ready partitions, each in turn (so a partitioned type gets the share
 *       of any other type, and its partitions drain evenly); a queue known from a hint another claim is on its
 *       way for is skipped ({@link HintClaimGate});</li>
 *   <li>a queue an operator paused ({@link OperatorControls}) is skipped, and so is one whose type or domain is at
 *       its concurrency cap; the pick holds a reservation
 *       ({@link ConcurrencyLimiter}) that the slot gives back when its job is done.</li>
 * </ol>
 * Each class has a sorted view (domain, then type, then partition) kept up to date without re-sorting: queues that
 * became known are added from the {@link AdditionsLog} (a full rebuild only when more were added than it remembers),
 * and queues found gone while scanning are dropped on the way. With thousands of queues, each waking up now and then,
 * a pick then costs a few map steps, not a sort of them all. Thread-safe (picks of one group are serialised;
 * they are short).
 */
final class QueuePicker {

    /** What a slot got: a queue to claim from (with the registry stamp it read), or a buffered job. */
    record Pick(QueueName queue, Stamp stamp, JobClass jobClass, ClaimedJob buffered) {
    }

    /** The ready queues of one class: domain to type to its partitions, and the last addition applied. */
    private static final class View {
        final TreeMap<String, TreeMap<String, ReadyPartitions>> byDomain = new TreeMap<>();
        long applied;

        void add(QueueName q) {
            byDomain.computeIfAbsent(q.domain(), d -> new TreeMap<>()).computeIfAbsent(q.type(), t -> new ReadyPartitions())
                    .ready.put(q.partition(), q);
        }
    }

    /**
     * A type's one place in its domain's rotation: its ready partitions, and the one its last turn served (a type
     * that left the view, or a rebuilt view, starts again at its lowest partition).
     */
    private static final class ReadyPartitions {
        final TreeMap<Integer, QueueName> ready = new TreeMap<>();
        int last = -1;
    }

    private final GroupSettings group;
    private final ReadyQueues ready;
    private final AdditionsLog additions;
    private final HintClaimGate gate;
    private final ClaimBuffer buffer;
    private final ConcurrencyLimiter limiter;
    private final Predicate<QueueName> paused;
    private final ConcurrentHashMap<String, Optional<JobClass>> classes = new ConcurrentHashMap<>();
    private final View[] views = new View[JobClass.values().length];
    private final String[] lastDomain = new String[JobClass.values().length];
    private final List<Map<String, String>> lastType = List.of(new HashMap<>(), new HashMap<>());

    /** @param paused queues an operator paused: skipped (claimed jobs already buffered still run) */
    QueuePicker(GroupSettings group, ReadyQueues ready, AdditionsLog additions, HintClaimGate gate, ClaimBuffer buffer,
                ConcurrencyLimiter limiter, Predicate<QueueName> paused) {
        this.paused = paused;
        this.group = group;
        this.ready = ready;
        this.additions = additions;
        this.gate = gate;
        this.buffer = buffer;
        this.limiter = limiter;
    }

    /** The class of {@code type} in this group, or null when the group does not serve it. */
    JobClass classOf(String type) {
        return classes.computeIfAbsent(type, t -> Optional.ofNullable(group.classify(t))).orElse(null);
    }

    /** The next queue or buffered job of class {@code c} for a free slot, reserved; null when there is none. */
    synchronized Pick pick(JobClass c) {
        ClaimedJob buffered = buffer.take(q -> classOf(q.type()) == c && limiter.tryAcquire(q));
        if (buffered != null) {
            return new Pick(buffered.queue(), null, c, buffered);
        }
        TreeMap<String, TreeMap<String, ReadyPartitions>> byDomain = view(c).byDomain;
        int ci = c.ordinal();
        String last = lastDomain[ci];
        for (SortedMap<String, TreeMap<String, ReadyPartitions>> part : last == null ? List.of(byDomain)
                : List.of(byDomain.tailMap(last, false), byDomain.headMap(last, true))) {
            for (Iterator<Map.Entry<String, TreeMap<String, ReadyPartitions>>> it = part.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, TreeMap<String, ReadyPartitions>> domain = it.next();
                Pick p = pickIn(c, domain.getKey(), domain.getValue());
                if (domain.getValue().isEmpty()) {
                    it.remove();
                    lastType.get(ci).remove(domain.getKey());
                }
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Round robin over the domain's types after the last one served; drops types none of whose partitions is ready. */
    private Pick pickIn(JobClass c, String domain, TreeMap<String, ReadyPartitions> types) {
        int ci = c.ordinal();
        String last = lastType.get(ci).get(domain);
        for (SortedMap<String, ReadyPartitions> part : last == null ? List.of(types)
                : List.of(types.tailMap(last, false), types.headMap(last, true))) {
            for (Iterator<Map.Entry<String, ReadyPartitions>> it = part.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, ReadyPartitions> type = it.next();
                Pick p = pickPartition(c, type.getValue());
                if (type.getValue().ready.isEmpty()) {
                    it.remove();
                }
                if (p != null) {
                    lastDomain[ci] = domain;
                    lastType.get(ci).put(domain, type.getKey());
                    return p;
                }
            }
        }
        return null;
    }

    /** The type's turn: its partitions after the one served last, in turn; drops those that left the ready set. */
    private Pick pickPartition(JobClass c, ReadyPartitions partitions) {
        int last = partitions.last;
        for (SortedMap<Integer, QueueName> part : last < 0 ? List.of(partitions.ready)
                : List.of(partitions.ready.tailMap(last, false), partitions.ready.headMap(last, true))) {
            for (Iterator<QueueName> it = part.values().iterator(); it.hasNext(); ) {
                QueueName q = it.next();
                Stamp stamp = ready.stamp(q);
                if (stamp == null) {
                    it.remove(); // left since it was added here; it comes back through the additions log when it returns
                    continue;
                }
                if (paused.test(q)) {
                    continue; // an operator paused it: it stays in the view and is served again on resume
                }
                if (!gate.start(q, stamp)) {
                    continue; // a claim of this runner is on its way for the push this hint announced
                }
                if (limiter.tryAcquire(q)) {
                    partitions.last = q.partition();
                    return new Pick(q, stamp, c, null);
                }
                gate.end(q, stamp, 0);
            }
        }
        return null;
    }

    /** The class's view with every queue that became known applied (rebuilt when the additions log moved on). */
    private View view(JobClass c) {
        long added = additions.count();
        View v = views[c.ordinal()];
        if (v != null && v.applied == added) {
            return v;
        }
        if (v != null && added - v.applied <= AdditionsLog.REMEMBERED) {
            long seq = v.applied + 1;
            for (; seq <= added; seq++) {
                QueueName q = additions.at(seq);
                if (q == null) {
                    break; // overwritten, or not written yet: rebuild below
                }
                if (classOf(q.type()) == c) {
                    v.add(q);
                }
            }
            if (seq > added) {
                v.applied = added;
                return v;
            }
        }
        v = new View();
        v.applied = added;
        for (QueueName q : ready.queues()) {
            if (classOf(q.type()) == c) {
                v.add(q);
            }
        }
        views[c.ordinal()] = v;
        return v;
    }
}
