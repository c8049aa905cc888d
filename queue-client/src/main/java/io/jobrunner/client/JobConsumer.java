package io.jobrunner.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What runners do to jobs: claim, ack, release (retry, abandon, requeue) and extend.
 * <p>
 * Delivery is <b>at least once</b>: a claim expires at its deadline unless extended, and the chron then puts
 * the job back; so a job whose runner died runs again, and one whose runner was only slow may run twice.
 * Only the holder of a claim's token may end or extend it: an ack, release or extend with a stale token
 * changes nothing and is reported.
 * <p>
 * Round trips: a claim of up to N jobs is one script call, plus a due-index update (not awaited) when it got
 * jobs and this consumer has not recorded a deadline of that queue lately (see {@link #claim}); an ack of up to
 * {@value #MAX_REFS_PER_CALL} claims of one queue is one script call.
 */
public final class JobConsumer {

    /** Last errors are cut to this many characters before they are stored. */
    public static final int MAX_ERROR_CHARS = 2000;

    /** Expired jobs kept per queue for the operator; past it the oldest are deleted by the claim that expires another. */
    public static final int EXPIRED_KEPT = 1000;

    /** The most claims one ack or extend script call takes (the scripts' own limit). */
    public static final int MAX_REFS_PER_CALL = 1000;

    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);

    /** Queues whose recorded due deadlines are remembered; past this, the memory starts over. */
    private static final int MAX_RECORDED_QUEUES = 10_000;

    private final QueueScripts scripts;
    private final QueueRegistry registry;
    private final StartMarks starts;
    private final Duration markerTtl;
    /** Per queue, the claim deadline (epoch ms, server clock) this consumer last put in the due index, and when. */
    private final ConcurrentHashMap<QueueName, Recorded> recordedDue = new ConcurrentHashMap<>();

    private record Recorded(long deadline, long atNanos) {
    }

    /**
     * @param markerTtl how long a claim call's marker lives in Redis: longer than the client may re-send a command
     *                  (its command timeout), so a re-sent claim finds its first run's jobs
     */
    JobConsumer(QueueScripts scripts, QueueRegistry registry, StartMarks starts, Duration markerTtl) {
        this.scripts = scripts;
        this.registry = registry;
        this.starts = starts;
        this.markerTtl = markerTtl;
    }

    /**
     * Claims up to {@code max} ready jobs, all started at once, without a max attempts of their own (recycle then
     * abandons by the chron's); see {@link #claim(QueueName, int, Duration, int, int)}.
     */
    public CompletableFuture<ClaimBatch> claim(QueueName queue, int max, Duration claimTtl) {
        return claim(queue, max, claimTtl, Duration.ZERO);
    }

    /**
     * As {@link #claim(QueueName, int, Duration)}, and a job enqueued longer than {@code expireAfter} ago (the
     * type's {@code limits.expire-after}; zero: none) is dropped as expired, as is one past its own
     * {@code expireAt}: neither is returned; both are counted in {@link ClaimBatch#expired()} and kept in the queue's
     * expired record (the latest {@value #EXPIRED_KEPT}).
     */
    public CompletableFuture<ClaimBatch> claim(QueueName queue, int max, Duration claimTtl, Duration expireAfter) {
        return claim(queue, max, claimTtl, 0, max, expireAfter);
    }

    /** {@link #claim(QueueName, int, Duration, int, int, Duration)} without an expire-after of the type. */
    public CompletableFuture<ClaimBatch> claim(QueueName queue, int max, Duration claimTtl, int maxAttempts, int startNow) {
        return claim(queue, max, claimTtl, maxAttempts, startNow, Duration.ZERO);
    }

    /**
     * Claims up to {@code max} ready jobs of the queue; their claims expire {@code claimTtl} after the claim by
     * the server's clock. {@code maxAttempts} (0: none) is stored with each claim, so recycle abandons it by this
     * runner's limit; the first {@code startNow} jobs are marked started, the others must be marked with
     * {@link #markStarted} before they run (a claim that expires unstarted gets its attempt back). A re-sent
     * call (the connection dropped after Redis ran it) returns the same jobs. Expired jobs: as
     * {@link #claim(QueueName, int, Duration, Duration)}.
     * <p>
     * On a single Redis node the claim script lowers the queue's due index entry itself. On a cluster the claim
     * deadline goes into the due index ({@code lowerDue}, not awaited) unless this consumer put one of
     * this queue there that is no later, less than half a claim TTL ago: the index then already says the queue is
     * due no later than this claim. Should the chron work the queue early meanwhile (something else in it fell
     * due) and miss this claim, its registry repair restores the entry within its repair interval, and a claim of
     * this consumer half a TTL later records one again; either way long before this claim expires.
     */
    public CompletableFuture<ClaimBatch> claim(QueueName queue, int max, Duration claimTtl, int maxAttempts, int startNow,
                                              Duration expireAfter) {
        return claim(queue, max, claimTtl, maxAttempts, startNow, expireAfter, null);
    }

    /**
     * As {@link #claim(QueueName, int, Duration, int, int, Duration)}, under the queue's own rate limit
     * ({@code perQueue}, null: none): the claim takes no more jobs than the queue's bucket has tokens, one token per
     * job claimed, in the same script call; when the bucket stopped it with jobs left,
     * {@link ClaimBatch#rateWaitMillis()} says when the next token comes.
     */
    public CompletableFuture<ClaimBatch> claim(QueueName queue, int max, Duration claimTtl, int maxAttempts, int startNow,
                                              Duration expireAfter, RateLimit perQueue) {
        return claim(queue, max, claimTtl, maxAttempts, startNow, expireAfter, perQueue, null);
    }

    /**
     * As {@link #claim(QueueName, int, Duration, int, int, Duration, RateLimit)}, by a caller that read the queue's
     * ready registry stamp {@code registryStamp} (null: none). Where {@link #keepsRegistry()}, a claim that leaves
     * the queue empty also takes it out of the ready registry under that stamp (compare-and-delete, as
     * {@link QueueRegistry#removeIfUnchanged}), and the claim deadline goes into the due index in the same call.
     */
    public CompletableFuture<ClaimBatch> claim(QueueName queue, int max, Duration claimTtl, int maxAttempts, int startNow,
                                              Duration expireAfter, RateLimit perQueue, String registryStamp) {
        String token = JobIds.next();
        QueueScripts.ClaimRequest request = new QueueScripts.ClaimRequest(max, claimTtl.toMillis(), token,
                maxAttempts, Math.max(0, Math.min(startNow, max)), markerTtl.toMillis(), expireAfter.toMillis(), EXPIRED_KEPT,
                perQueue, registryStamp);
        return scripts.claim(queue, request).thenApply(reply -> {
            List<ClaimedJob> jobs = new ArrayList<>(reply.jobs().size());
            for (QueueScripts.RawClaim raw : reply.jobs()) {
                jobs.add(decode(queue, token, raw));
            }
            long deadline = reply.deadline();
            if (!jobs.isEmpty() && !scripts.keepsRegistry() && dueRecordNeeded(queue, deadline, claimTtl.toNanos())) {
                // Not awaited: the claim is already safe; the chron repairs a lost due entry.
                registry.lowerDue(queue, deadline).exceptionally(e -> {
                    recordedDue.remove(queue);
                    log.warn("queue {}: could not record claim deadline in the due index: {}", queue, e.getMessage());
                    return null;
                });
            }
            if (reply.missing() > 0) {
                log.warn("queue {}: dropped {} ready id(s) that had no job data", queue, reply.missing());
            }
            if (reply.corrupt() > 0) {
                log.warn("queue {}: abandoned {} job(s) with corrupt fields at claim (see their last error)", queue, reply.corrupt());
            }
            if (reply.expired() > 0) {
                log.info("queue {}: {} job(s) expired before they could start; kept in its expired record", queue, reply.expired());
            }
            return new ClaimBatch(queue, jobs, reply.remaining(), reply.superseded(), reply.expired(), deadline, reply.rateWait());
        });
    }

    /**
     * True on a single Redis node, where the claim script keeps the registry itself (due index, and the ready
     * registry under the caller's stamp); on a cluster the caller removes an emptied queue from the ready registry.
     */
    public boolean keepsRegistry() {
        return scripts.keepsRegistry();
    }

    /** True when the deadline must be recorded in the due index (see {@link #claim}); remembers it then. */
    private boolean dueRecordNeeded(QueueName queue, long deadline, long ttlNanos) {
        long now = System.nanoTime();
        Recorded recorded = recordedDue.get(queue);
        if (recorded != null && recorded.deadline() <= deadline && now - recorded.atNanos() <= ttlNanos / 2) {
            return false;
        }
        if (recordedDue.size() >= MAX_RECORDED_QUEUES) {
            recordedDue.clear();
        }
        recordedDue.put(queue, new Recorded(deadline, now));
        return true;
    }

    /**
     * Marks a buffered claim started, just before it runs; completes false when the claim was lost. Marks of one
     * queue made while a call is in flight share the next call.
     */
    public CompletableFuture<Boolean> markStarted(QueueName queue, ClaimRef claim) {
        return starts.mark(queue, claim);
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

    /** Retry later: the job waits in delayed for {@code delay} by the server's clock (ready at once for zero). */
    public CompletableFuture<Boolean> retry(QueueName queue, ClaimRef claim, Duration delay, String error) {
        return release(queue, claim, ReleaseOutcome.RETRY, Math.max(0, delay.toMillis()), error);
    }

    /** Abandon: permanent failure or out of attempts; the error is kept for the operator. */
    public CompletableFuture<Boolean> abandon(QueueName queue, ClaimRef claim, String error) {
        return release(queue, claim, ReleaseOutcome.ABANDON, 0, error);
    }

    /** Give the job back untouched (shutdown): claim end of ready, the attempt not counted. */
    public CompletableFuture<Boolean> requeue(QueueName queue, ClaimRef claim) {
        return release(queue, claim, ReleaseOutcome.REQUEUE, 0, "");
    }

    /**
     * Heartbeat: moves the deadline of these claims to the server's time + {@code claimTtl}; returns the ids
     * whose claim was lost. Chunked like {@link #ack}; an empty list is answered without Redis.
     */
    public CompletableFuture<List<String>> extend(QueueName queue, Duration claimTtl, List<ClaimRef> claims) {
        return chunked(claims, chunk -> scripts.extend(queue, claimTtl.toMillis(), chunk));
    }

    /** One call per chunk of {@link #MAX_REFS_PER_CALL} claims, pipelined; the ids each reported, together. */
    private static CompletableFuture<List<String>> chunked(List<ClaimRef> claims,
                                                           Function<List<ClaimRef>, CompletableFuture<List<String>>> call) {
        if (claims.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (claims.size() <= MAX_REFS_PER_CALL) {
            return call.apply(claims);
        }
        List<CompletableFuture<List<String>>> parts = new ArrayList<>();
        for (List<ClaimRef> chunk : chunks(claims)) {
            parts.add(call.apply(chunk));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> out = new ArrayList<>();
            parts.forEach(part -> out.addAll(part.join()));
            return out;
        });
    }

    private static List<List<ClaimRef>> chunks(List<ClaimRef> claims) {
        List<List<ClaimRef>> out = new ArrayList<>();
        for (int from = 0; from < claims.size(); from += MAX_REFS_PER_CALL) {
            out.add(claims.subList(from, Math.min(claims.size(), from + MAX_REFS_PER_CALL)));
        }
        return out;
    }

    private CompletableFuture<Boolean> release(QueueName queue, ClaimRef claim, ReleaseOutcome outcome, long delayMillis, String error) {
        String bounded = error == null ? "" : error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
        return scripts.release(queue, claim, outcome.wire(), delayMillis, bounded).thenCompose(reply -> {
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
