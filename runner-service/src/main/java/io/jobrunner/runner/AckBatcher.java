package io.jobrunner.runner;

import io.jobrunner.client.AckResult;
import io.jobrunner.client.ClaimRef;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.QueueName;
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
 * {@link InFlight} lets a stop wait for them.
 * <p>
 * An ack whose claim was no longer ours (stale) deleted nothing: the job was recycled and may run again
 * (at least once). A failed ack call leaves the claims to expire and be recycled by the chron.
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
    private final Consumer<List<ClaimRef>> onDone;
    private final ConcurrentHashMap<QueueName, QueueAcks> queues = new ConcurrentHashMap<>();

    /** @param onDone called with the claims of each finished call (whatever its result): they are no longer held */
    AckBatcher(JobConsumer consumer, InFlight inFlight, RunnerMetrics metrics, Consumer<List<ClaimRef>> onDone) {
        this.consumer = consumer;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.onDone = onDone;
    }

    void ack(QueueName queue, ClaimRef claim) {
        QueueAcks acks = queues.computeIfAbsent(queue, q -> new QueueAcks());
        synchronized (acks) {
            if (acks.inFlight) {
                acks.waiting.add(claim);
                return;
            }
            acks.inFlight = true;
        }
        send(queue, acks, List.of(claim));
    }

    private void send(QueueName queue, QueueAcks acks, List<ClaimRef> claims) {
        inFlight.begin();
        CompletableFuture<AckResult> call;
        try {
            call = consumer.ack(queue, claims);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((result, error) -> {
            try {
                done(queue, claims, result, error);
                List<ClaimRef> next;
                synchronized (acks) {
                    if (acks.waiting.isEmpty()) {
                        acks.inFlight = false;
                        return;
                    }
                    int n = Math.min(MAX_PER_CALL, acks.waiting.size());
                    next = new ArrayList<>(acks.waiting.subList(0, n));
                    acks.waiting.subList(0, n).clear();
                }
                send(queue, acks, next);
            } finally {
                inFlight.end();
            }
        });
    }

    private void done(QueueName queue, List<ClaimRef> claims, AckResult result, Throwable error) {
        if (error != null) {
            metrics.redisErrors.inc();
            log.warn("queue {}: ack of {} job(s) failed, their claims will expire and the jobs run again: {}",
                    queue, claims.size(), ReadyQueues.rootMessage(error));
        } else if (!result.stale().isEmpty()) {
            metrics.claimsLost.inc(result.stale().size());
            log.warn("queue {}: {} job(s) finished after their claim was lost (they may run again): {}",
                    queue, result.stale().size(), result.stale());
        }
        onDone.accept(claims);
    }
}
