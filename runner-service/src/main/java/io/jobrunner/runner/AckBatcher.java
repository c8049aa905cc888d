package io.jobrunner.runner;

import io.jobrunner.client.AckResult;
import io.jobrunner.client.ClaimRef;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.QueueName;
import io.jobrunner.client.RootCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Acks finished jobs, coalesced per queue: while an ack call for a queue is in flight, the next acks of that
 * queue are collected and sent as one call when it returns (up to 1000 per call). Under load this makes an ack
 * cost a fraction of a script call per job; when idle an ack goes out at once. Slots do not wait for acks;
 * {@link InFlight} lets a stop wait for them. A queue's state is dropped when its last call returns with nothing
 * waiting, so a runner that served many queues once keeps no memory of them.
 * <p>
 * An ack whose claim was no longer ours (stale) deleted nothing: the job was recycled and may run again
 * (at least once). A failed ack call is tried again, after a backoff, for the claims that are still ours
 * ({@link OutcomeRetries}; the heartbeat keeps them alive meanwhile); a claim past its fence is given up and the
 * chron recycles it after its deadline.
 */
final class AckBatcher {

    private static final Logger log = LoggerFactory.getLogger(AckBatcher.class);
    private static final int MAX_PER_CALL = 1000;

    private static final class QueueAcks {
        final List<ClaimRef> waiting = new ArrayList<>();
        boolean inFlight;
    }

    private final JobConsumer consumer;
    private final InFlight inFlight;
    private final RunnerMetrics metrics;
    private final OutcomeRetries retries;
    private final Consumer<List<ClaimRef>> onDone;
    private final ConcurrentHashMap<QueueName, QueueAcks> queues = new ConcurrentHashMap<>();

    /** @param onDone called with the claims of each finished call (whatever its result): they are no longer held */
    AckBatcher(JobConsumer consumer, InFlight inFlight, RunnerMetrics metrics, OutcomeRetries retries, Consumer<List<ClaimRef>> onDone) {
        this.consumer = consumer;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.retries = retries;
        this.onDone = onDone;
    }

    void ack(QueueName queue, ClaimRef claim) {
        while (true) {
            QueueAcks acks = queues.computeIfAbsent(queue, q -> new QueueAcks());
            synchronized (acks) {
                if (queues.get(queue) != acks) {
                    continue; // dropped as idle meanwhile: take the current one
                }
                if (acks.inFlight) {
                    acks.waiting.add(claim);
                    return;
                }
                acks.inFlight = true;
            }
            inFlight.begin();
            send(queue, acks, List.of(claim), 1);
            return;
        }
    }

    /** Queues with ack state held now (for tests: idle queues hold none). */
    int queuesHeld() {
        return queues.size();
    }

    private void send(QueueName queue, QueueAcks acks, List<ClaimRef> claims, int attempt) {
        CompletableFuture<AckResult> call;
        try {
            call = consumer.ack(queue, claims);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((result, error) -> {
            boolean handedOn = false;
            try {
                if (error != null && retryLater(queue, acks, claims, attempt, error)) {
                    handedOn = true;
                    return;
                }
                if (error == null) {
                    done(queue, claims, result, attempt);
                }
                List<ClaimRef> next;
                synchronized (acks) {
                    if (acks.waiting.isEmpty()) {
                        acks.inFlight = false;
                        queues.remove(queue, acks);
                        return;
                    }
                    int n = Math.min(MAX_PER_CALL, acks.waiting.size());
                    next = new ArrayList<>(acks.waiting.subList(0, n));
                    acks.waiting.subList(0, n).clear();
                }
                inFlight.begin();
                handedOn = false;
                send(queue, acks, next, 1);
            } finally {
                if (!handedOn) {
                    inFlight.end();
                }
            }
        });
    }

    /**
     * The call failed: the claims still ours are sent again after a backoff (true: the call goes on); those past
     * their fence are given up (the chron recycles them).
     */
    private boolean retryLater(QueueName queue, QueueAcks acks, List<ClaimRef> claims, int attempt, Throwable error) {
        metrics.redisErrors.mark();
        List<ClaimRef> again = new ArrayList<>();
        List<ClaimRef> givenUp = new ArrayList<>();
        for (ClaimRef ref : claims) {
            (retries.worthRetrying(ref, attempt) ? again : givenUp).add(ref);
        }
        if (!again.isEmpty() && !retries.schedule(attempt, () -> send(queue, acks, again, attempt + 1))) {
            givenUp.addAll(again);
            again.clear();
        }
        if (!givenUp.isEmpty()) {
            log.warn("queue {}: ack of {} job(s) failed {} time(s), giving up at their claims' deadline; the chron recycles"
                    + " them and they run again: {}", queue, givenUp.size(), attempt, RootCause.message(error));
            onDone.accept(givenUp);
        }
        if (again.isEmpty()) {
            return false;
        }
        metrics.outcomeRetries.mark();
        if (attempt == 1) {
            log.warn("queue {}: ack of {} job(s) failed, trying again while their claims are ours: {}", queue, again.size(),
                    RootCause.message(error));
        }
        return true;
    }

    private void done(QueueName queue, List<ClaimRef> claims, AckResult result, int attempt) {
        if (!result.stale().isEmpty()) {
            if (attempt == 1) {
                metrics.claimsLost.mark(result.stale().size());
                log.warn("queue {}: {} job(s) finished after their claim was lost (they may run again): {}",
                        queue, result.stale().size(), result.stale());
            } else {
                log.info("queue {}: {} job(s) acked by an earlier try whose reply was lost, or recycled meanwhile: {}",
                        queue, result.stale().size(), result.stale());
            }
        }
        metrics.redisLog.succeeded();
        onDone.accept(claims);
    }
}
