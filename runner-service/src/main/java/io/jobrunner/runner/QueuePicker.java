package io.jobrunner.runner;

import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.QueueName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the queue a free slot of one group serves next, within the class the group chose.
 * <ol>
 *   <li>jobs already claimed and buffered in this runner come first (they must start soon);</li>
 *   <li>then the ready queues ({@link ReadyQueues}) whose type the group serves in that class, fairly: round
 *       robin over domains, then over the types of the chosen domain;</li>
 *   <li>a queue whose type or domain is at its concurrency cap is skipped; the pick holds a reservation
 *       ({@link ConcurrencyLimiter}) that the slot gives back when its job is done.</li>
 * </ol>
 * The filtered, sorted view is rebuilt when queues became known, or when more than half of it left; queues
 * that left meanwhile are skipped. Thread-safe (picks of one group are serialised; they are short).
 */
final class QueuePicker {

    /** What a slot got: a queue to claim from (with the registry stamp it read), or a buffered job. */
    record Pick(QueueName queue, String stamp, JobClass jobClass, ClaimedJob buffered) {
    }

    private record View(long additions, long removals, int size, String[] domains, Map<String, QueueName[]> queues) {
    }

    private final GroupSettings group;
    private final ReadyQueues ready;
    private final ClaimBuffer buffer;
    private final ConcurrencyLimiter limiter;
    private final ConcurrentHashMap<String, Optional<JobClass>> classes = new ConcurrentHashMap<>();
    private final View[] views = new View[JobClass.values().length];
    private final String[] lastDomain = new String[JobClass.values().length];
    private final List<Map<String, String>> lastType = List.of(new HashMap<>(), new HashMap<>());

    QueuePicker(GroupSettings group, ReadyQueues ready, ClaimBuffer buffer, ConcurrencyLimiter limiter) {
        this.group = group;
        this.ready = ready;
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
        View v = view(c);
        String[] domains = v.domains();
        if (domains.length == 0) {
            return null;
        }
        int ci = c.ordinal();
        int start = after(domains, lastDomain[ci]);
        for (int i = 0; i < domains.length; i++) {
            String domain = domains[(start + i) % domains.length];
            QueueName[] queues = v.queues().get(domain);
            String last = lastType.get(ci).get(domain);
            int t0 = afterType(queues, last);
            for (int j = 0; j < queues.length; j++) {
                QueueName q = queues[(t0 + j) % queues.length];
                String stamp = ready.stamp(q);
                if (stamp == null) {
                    continue; // left since the view was built
                }
                if (!ready.startClaim(q, stamp)) {
                    continue; // a claim of this runner is on its way for the push this hint announced
                }
                if (limiter.tryAcquire(q)) {
                    lastDomain[ci] = domain;
                    lastType.get(ci).put(domain, q.type());
                    return new Pick(q, stamp, c, null);
                }
                ready.endClaim(q, stamp, 0);
            }
        }
        return null;
    }

    private View view(JobClass c) {
        long additions = ready.additions();
        long removals = ready.removals();
        View v = views[c.ordinal()];
        if (v != null && v.additions() == additions && 2 * (removals - v.removals()) <= v.size()) {
            return v;
        }
        List<QueueName> known = ready.queues();
        TreeMap<String, List<QueueName>> byDomain = new TreeMap<>();
        int size = 0;
        for (QueueName q : known) {
            if (classOf(q.type()) == c) {
                byDomain.computeIfAbsent(q.domain(), d -> new ArrayList<>()).add(q);
                size++;
            }
        }
        Map<String, QueueName[]> queues = new HashMap<>();
        byDomain.forEach((d, list) -> {
            QueueName[] arr = list.toArray(new QueueName[0]);
            Arrays.sort(arr, (a, b) -> a.type().compareTo(b.type()));
            queues.put(d, arr);
        });
        v = new View(additions, removals, size, byDomain.keySet().toArray(new String[0]), queues);
        views[c.ordinal()] = v;
        return v;
    }

    /** Index of the first domain after {@code last} in sorted order (wrapping), 0 when none was served. */
    private static int after(String[] sorted, String last) {
        if (last == null) {
            return 0;
        }
        int i = Arrays.binarySearch(sorted, last);
        int next = i >= 0 ? i + 1 : -i - 1;
        return next % sorted.length;
    }

    private static int afterType(QueueName[] sorted, String lastType) {
        if (lastType == null) {
            return 0;
        }
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i].type().compareTo(lastType) > 0) {
                return i;
            }
        }
        return 0;
    }
}
