package io.jobrunner.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalesces concurrent pushes to one queue into shared push-script calls; one per client, used by every
 * {@link JobProducer} of it.
 * <ol>
 *   <li>at most one push call per queue is in flight from this client: a push that finds none sends its jobs at
 *       once (no added latency for a lone producer); one that finds a call in flight waits for it, and
 *       everything that waited meanwhile goes in the next call (up to the batch size and
 *       {@link ClientSettings#MAX_PUSH_CALL_BYTES}), so N producer threads pushing single jobs cost about one script
 *       call and one follow-up per N jobs;</li>
 *   <li>on a single Redis node the push script keeps the registry itself (known set, ready registry, due index):
 *       a call is one command. On a cluster, where those keys live in other slots:
 *       <ul>
 *         <li>each call is preceded by {@link QueueRegistry#registerKnown} (SADD to {@code jr:queues}), pipelined in
 *             the same round trip, so the queue is known to the chron's repair before any of its jobs is stored;
 *             should that SADD fail where the push went through, it is sent again after the push;</li>
 *         <li>each call is followed up once, pipelined: when the queue became ready,
 *             {@link QueueRegistry#registerPushed} (the script itself published the wake-up); when delayed jobs
 *             were pushed, {@link QueueRegistry#lowerDue};</li>
 *       </ul></li>
 *   <li>each caller's future completes after the call and its follow-up, with the pushed and duplicate ids of its
 *       own jobs; a failed call fails every caller in it (a retried push is safe: a
 *       job already stored is reported as a duplicate);</li>
 *   <li>the jobs of one caller stay together and in order, and callers are served in arrival order.</li>
 * </ol>
 * A queue with nothing waiting or in flight holds no state here.
 */
final class PushCoalescer {

    /** One caller's jobs for one queue, waiting for (or in) a call. */
    private record Waiting(List<QueueScripts.PushItem> items, CompletableFuture<PushResult> result) {
    }

    /** A queue with a call in flight, and the callers waiting for the next one. */
    private static final class Lane {
        final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    }

    private static final Logger log = LoggerFactory.getLogger(PushCoalescer.class);

    private final QueueScripts scripts;
    private final QueueRegistry registry;
    private final int maxJobsPerCall;
    private final ConcurrentHashMap<QueueName, Lane> lanes = new ConcurrentHashMap<>();

    PushCoalescer(QueueScripts scripts, QueueRegistry registry, int maxJobsPerCall) {
        this.scripts = scripts;
        this.registry = registry;
        this.maxJobsPerCall = maxJobsPerCall;
    }

    /**
     * Where the push call starting at {@code from} ends: at most {@code maxJobs} jobs and
     * {@link ClientSettings#MAX_PUSH_CALL_BYTES} of job JSON, at least one job.
     */
    static int chunkEnd(List<QueueScripts.PushItem> items, int from, int maxJobs) {
        long bytes = 0;
        int to = from;
        while (to < items.size() && to - from < maxJobs) {
            bytes += items.get(to).storedJson().length();
            if (to > from && bytes > ClientSettings.MAX_PUSH_CALL_BYTES) {
                break;
            }
            to++;
        }
        return to;
    }

    /** Pushes at most {@code maxJobsPerCall} jobs of one queue, in a call of their own or shared. */
    CompletableFuture<PushResult> push(QueueName queue, List<QueueScripts.PushItem> items) {
        Waiting waiting = new Waiting(items, new CompletableFuture<>());
        boolean[] sendNow = new boolean[1];
        lanes.compute(queue, (q, lane) -> {
            if (lane == null) {
                sendNow[0] = true;
                return new Lane();
            }
            lane.waiting.add(waiting);
            return lane;
        });
        if (sendNow[0]) {
            send(queue, List.of(waiting));
        }
        return waiting.result();
    }

    private void send(QueueName queue, List<Waiting> batch) {
        List<QueueScripts.PushItem> items = new ArrayList<>();
        batch.forEach(w -> items.addAll(w.items()));
        CompletableFuture<PushResult> call;
        try {
            if (scripts.keepsRegistry()) {
                call = scripts.push(queue, items).thenApply(reply -> new PushResult(reply.pushed(), reply.duplicates()));
            } else {
                CompletableFuture<Boolean> known = registry.registerKnown(queue).handle((v, e) -> e == null);
                call = scripts.push(queue, items)
                        .thenCompose(reply -> known.thenCompose(registered -> registered ? followUp(queue, reply)
                                : registerAgain(queue).thenCompose(v -> followUp(queue, reply))));
            }
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((result, error) -> {
            next(queue); // first: the callers completed below may push again at once
            for (Waiting w : batch) {
                if (error != null) {
                    w.result().completeExceptionally(error);
                } else {
                    w.result().complete(own(result, w.items()));
                }
            }
        });
    }

    /** The SADD before the push failed, the push did not: known now, or the chron's keyspace sweep finds it. */
    private CompletableFuture<Void> registerAgain(QueueName queue) {
        return registry.registerKnown(queue).exceptionally(e -> {
            log.warn("queue {}: jobs stored but the queue could not be added to the known queues; the chron's sweep"
                    + " will find it: {}", queue, e.getMessage());
            return null;
        });
    }

    private CompletableFuture<PushResult> followUp(QueueName queue, QueueScripts.PushReply reply) {
        PushResult result = new PushResult(reply.pushed(), reply.duplicates());
        CompletableFuture<Void> ready = reply.readyWasEmpty() ? registry.registerPushed(queue) : CompletableFuture.completedFuture(null);
        CompletableFuture<Void> due = reply.earliestRelease() > 0 ? registry.lowerDue(queue, reply.earliestRelease())
                : CompletableFuture.completedFuture(null);
        return ready.thenCombine(due, (a, b) -> result);
    }

    /** The call in flight for the queue ended: sends what waited meanwhile, or forgets the queue. */
    private void next(QueueName queue) {
        List<Waiting> batch = new ArrayList<>();
        lanes.computeIfPresent(queue, (q, lane) -> {
            int jobs = 0;
            long bytes = 0;
            while (!lane.waiting.isEmpty() && (batch.isEmpty() || (jobs + lane.waiting.peek().items().size() <= maxJobsPerCall
                    && bytes + bytes(lane.waiting.peek()) <= ClientSettings.MAX_PUSH_CALL_BYTES))) {
                Waiting w = lane.waiting.poll();
                jobs += w.items().size();
                bytes += bytes(w);
                batch.add(w);
            }
            return batch.isEmpty() ? null : lane;
        });
        if (!batch.isEmpty()) {
            send(queue, batch);
        }
    }

    private static long bytes(Waiting w) {
        long bytes = 0;
        for (QueueScripts.PushItem item : w.items()) {
            bytes += item.storedJson().length();
        }
        return bytes;
    }

    /** The part of a shared call's result that concerns one caller's jobs. */
    private static PushResult own(PushResult shared, List<QueueScripts.PushItem> items) {
        if (items.size() == shared.pushed().size() + shared.duplicates().size()) {
            return shared; // a call of its own
        }
        Set<String> ids = new HashSet<>(items.size() * 2);
        items.forEach(i -> ids.add(i.id()));
        List<String> pushed = shared.pushed().stream().filter(ids::contains).toList();
        List<String> duplicates = shared.duplicates().stream().filter(ids::contains).toList();
        return new PushResult(pushed, duplicates);
    }
}
