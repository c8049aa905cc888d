package io.jobrunner.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalesces the started marks of buffered claims ({@code start.lua}) per queue; one per client.
 * <ol>
 *   <li>at most one start call per queue is in flight from this client: a mark that finds none is sent at once;
 *       marks made while one is in flight go together in the next call (up to
 *       {@link JobConsumer#MAX_REFS_PER_CALL}), so slots draining a buffer cost about one call per round trip,
 *       not one per job;</li>
 *   <li>each caller's future completes with the ids of its own claims that were lost (none marked for them).</li>
 * </ol>
 * A queue with nothing waiting or in flight holds no state here.
 */
final class StartMarks {

    private record Mark(ClaimRef claim, CompletableFuture<Boolean> held) {
    }

    private final QueueScripts scripts;
    /** Per queue with a call in flight: the marks waiting for the next call. */
    private final ConcurrentHashMap<QueueName, List<Mark>> waiting = new ConcurrentHashMap<>();

    StartMarks(QueueScripts scripts) {
        this.scripts = scripts;
    }

    /** Marks the claim started; completes true when marked, false when the claim was lost. */
    CompletableFuture<Boolean> mark(QueueName queue, ClaimRef claim) {
        Mark mark = new Mark(claim, new CompletableFuture<>());
        boolean[] sendNow = new boolean[1];
        waiting.compute(queue, (q, marks) -> {
            if (marks == null) {
                sendNow[0] = true;
                return new ArrayList<>();
            }
            marks.add(mark);
            return marks;
        });
        if (sendNow[0]) {
            send(queue, List.of(mark));
        }
        return mark.held();
    }

    private void send(QueueName queue, List<Mark> batch) {
        CompletableFuture<List<String>> call;
        try {
            call = scripts.start(queue, batch.stream().map(Mark::claim).toList());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((lost, error) -> {
            next(queue);
            for (Mark m : batch) {
                if (error != null) {
                    m.held().completeExceptionally(error);
                } else {
                    m.held().complete(!lost.contains(m.claim().id()));
                }
            }
        });
    }

    /** The call in flight ended: sends what waited meanwhile, or forgets the queue. */
    private void next(QueueName queue) {
        List<Mark> batch = new ArrayList<>();
        waiting.computeIfPresent(queue, (q, marks) -> {
            int n = Math.min(marks.size(), JobConsumer.MAX_REFS_PER_CALL);
            batch.addAll(marks.subList(0, n));
            marks.subList(0, n).clear();
            return batch.isEmpty() ? null : marks;
        });
        if (!batch.isEmpty()) {
            send(queue, batch);
        }
    }
}
