package io.jobrunner.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What runners do to jobs: claim, ack, release (retry, abandon, requeue) and extend.
 * <p>
 * Delivery is <b>at least once</b>: a claim expires at its deadline unless extended, and the chron then puts
 * the job back; so a job whose runner died runs again, and one whose runner was only slow may run twice.
 * Only the holder of a claim's token may end or extend it: an ack, release or extend with a stale token
 * changes nothing and is reported.
 * <p>
 * Round trips: a claim of up to N jobs is one script call (plus one pipelined due-index update when it
 * got jobs); an ack of up to {@value #MAX_REFS_PER_CALL} claims of one queue is one script call.
 */
public final class JobConsumer {

    /** Last errors are cut to this many characters before they are stored. */
    public static final int MAX_ERROR_CHARS = 2000;

    /** The most claims one ack or extend script call takes (the scripts' own limit). */
    public static final int MAX_REFS_PER_CALL = 1000;

    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);

    private final QueueScripts scripts;
    private final QueueRegistry registry;
    private final Clock clock;

    JobConsumer(QueueScripts scripts, QueueRegistry registry, Clock clock) {
        this.scripts = scripts;
        this.registry = registry;
        this.clock = clock;
    }

    /** Claims up to {@code max} ready jobs of the queue; their claims expire after {@code claimTtl}. */
    public CompletableFuture<ClaimBatch> claim(QueueName queue, int max, Duration claimTtl) {
        String token = JobIds.next();
        long deadline = clock.millis() + claimTtl.toMillis();
        return scripts.claim(queue, max, deadline, token).thenApply(reply -> {
            List<ClaimedJob> jobs = new ArrayList<>(reply.jobs().size());
            for (QueueScripts.RawClaim raw : reply.jobs()) {
                jobs.add(decode(queue, token, raw));
            }
            if (!jobs.isEmpty()) {
                // Not awaited: the claim is already safe; the chron repairs a lost due entry.
                registry.lowerDue(queue, deadline).exceptionally(e -> {
                    log.warn("queue {}: could not record claim deadline in the due index: {}", queue, e.getMessage());
                    return null;
                });
            }
            if (reply.missing() > 0) {
                log.warn("queue {}: dropped {} ready id(s) that had no job data", queue, reply.missing());
            }
            return new ClaimBatch(queue, jobs, reply.remaining(), reply.superseded(), deadline);
        });
    }

    /**
     * Deletes finished jobs whose claims the caller still holds; stale ones are reported, untouched.
     * Up to {@link #MAX_REFS_PER_CALL} claims are one script call; more are cut into pipelined calls.
     * An empty list is answered without Redis.
     */
    public CompletableFuture<AckResult> ack(QueueName queue, List<ClaimRef> claims) {
        if (claims.isEmpty()) {
            return CompletableFuture.completedFuture(new AckResult(0, List.of()));
        }
        if (claims.size() <= MAX_REFS_PER_CALL) {
            return scripts.ack(queue, claims);
        }
        List<CompletableFuture<AckResult>> parts = new ArrayList<>();
        for (List<ClaimRef> chunk : chunks(claims)) {
            parts.add(scripts.ack(queue, chunk));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            int acked = 0;
            List<String> stale = new ArrayList<>();
            for (CompletableFuture<AckResult> part : parts) {
                acked += part.join().acked();
                stale.addAll(part.join().stale());
            }
            return new AckResult(acked, stale);
        });
    }

    /** Retry later: the job waits in delayed until {@code retryAtMillis} (ready at once if not in the future). */
    public CompletableFuture<Boolean> retry(QueueName queue, ClaimRef claim, long retryAtMillis, String error) {
        return release(queue, claim, "retry", retryAtMillis, error);
    }

    /** Abandon: permanent failure or out of attempts; the error is kept for the operator. */
    public CompletableFuture<Boolean> abandon(QueueName queue, ClaimRef claim, String error) {
        return release(queue, claim, "abandon", 0, error);
    }

    /** Give the job back untouched (shutdown): claim end of ready, the attempt not counted. */
    public CompletableFuture<Boolean> requeue(QueueName queue, ClaimRef claim) {
        return release(queue, claim, "requeue", 0, "");
    }

    /**
     * Heartbeat: moves the deadline of these claims to now + {@code claimTtl}; returns the ids whose claim was
     * lost. Chunked like {@link #ack}; an empty list is answered without Redis.
     */
    public CompletableFuture<List<String>> extend(QueueName queue, Duration claimTtl, List<ClaimRef> claims) {
        if (claims.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        long deadline = clock.millis() + claimTtl.toMillis();
        if (claims.size() <= MAX_REFS_PER_CALL) {
            return scripts.extend(queue, deadline, claims);
        }
        List<CompletableFuture<List<String>>> parts = new ArrayList<>();
        for (List<ClaimRef> chunk : chunks(claims)) {
            parts.add(scripts.extend(queue, deadline, chunk));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> lost = new ArrayList<>();
            parts.forEach(part -> lost.addAll(part.join()));
            return lost;
        });
    }

    private static List<List<ClaimRef>> chunks(List<ClaimRef> claims) {
        List<List<ClaimRef>> out = new ArrayList<>();
        for (int from = 0; from < claims.size(); from += MAX_REFS_PER_CALL) {
            out.add(claims.subList(from, Math.min(claims.size(), from + MAX_REFS_PER_CALL)));
        }
        return out;
    }

    private CompletableFuture<Boolean> release(QueueName queue, ClaimRef claim, String outcome, long retryAt, String error) {
        String bounded = error == null ? "" : error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
        return scripts.release(queue, claim, clock.millis(), outcome, retryAt, bounded).thenCompose(reply -> {
            CompletableFuture<Void> followUp = CompletableFuture.completedFuture(null);
            if (reply.readyWasEmpty()) {
                followUp = registry.markReady(queue);
            } else if (reply.dueAt() > 0) {
                followUp = registry.lowerDue(queue, reply.dueAt());
            }
            return followUp.thenApply(v -> reply.released());
        });
    }

    private static ClaimedJob decode(QueueName queue, String token, QueueScripts.RawClaim raw) {
        ClaimRef ref = new ClaimRef(raw.id(), token);
        try {
            return new ClaimedJob(queue, ref, raw.attempts(), JobCodec.decodeStored(queue, raw.id(), raw.json()), raw.json(), null);
        } catch (MalformedJobException e) {
            return new ClaimedJob(queue, ref, raw.attempts(), null, raw.json(), e.getMessage());
        }
    }
}
