package io.jobrunner.client;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Pushes jobs. Every job is validated and encoded before Redis is touched, so a bad batch pushes nothing.
 * A batch is grouped by queue and cut into chunks of the batch size and of at most
 * {@link ClientSettings#MAX_PUSH_CALL_BYTES} (a job larger than that goes alone), so one call stays far below
 * Redis's request limits and one huge batch cannot make Redis drop the shared connection; each chunk goes to the client's
 * {@link PushCoalescer}, which sends it in a push-script call of its own, or, while a call to that queue is in
 * flight, in the next call together with what other threads pushed meanwhile. Round trips (measured in
 * {@code RoundTripsIT}): one script call when the queue already had ready jobs; then one more pipelined round
 * trip when it was empty and must be registered (HSET, SADD: the script itself published the wake-up, so idle
 * runners need not wait for this one) and/or when delayed jobs were pushed (SADD, ZADD on the due index).
 * A push retried with the same job (same id) after a timeout is reported as a duplicate, not stored twice.
 * Each push call is traced by the client's {@link JobTracing}, which adds its trace context to the jobs' metadata.
 * A release time is sent as a delay from this client's clock, and the server adds its own time: producers'
 * clocks never decide when a job may run, only how long it waits. A push that Redis refuses for memory fails
 * with {@link ErrorCode#REDIS_OUT_OF_MEMORY}, storing nothing. A type with several partitions ({@link Partitions}) has
 * each job pushed to the partition its {@link Partitioner} picks.
 */
public final class JobProducer {

    private final PushCoalescer pushes;
    private final ClientSettings settings;
    private final JobTracing tracing;
    private final Clock clock;
    private final Partitioner partitioner;
    private final ReplicaWait replicaWait;
    private final int replicas;
    private final Duration replicaTimeout;

    /** {@code WAIT} for replicas on the server of a queue ({@link RedisConnection#waitForReplicas}). */
    interface ReplicaWait {
        CompletableFuture<Long> await(QueueName queue, int replicas, long timeoutMillis);
    }

    JobProducer(PushCoalescer pushes, ClientSettings settings, JobTracing tracing, Clock clock, Partitioner partitioner,
                ReplicaWait replicaWait) {
        this(pushes, settings, tracing, clock, partitioner, replicaWait, 0, Duration.ZERO);
    }

    private JobProducer(PushCoalescer pushes, ClientSettings settings, JobTracing tracing, Clock clock, Partitioner partitioner,
                        ReplicaWait replicaWait, int replicas, Duration replicaTimeout) {
        this.partitioner = partitioner;
        this.replicaWait = replicaWait;
        this.replicas = replicas;
        this.replicaTimeout = replicaTimeout;
        this.pushes = pushes;
        this.settings = settings;
        this.tracing = tracing;
        this.clock = clock;
    }

    /**
     * A producer whose pushes succeed only once {@code replicas} replicas of the queue's server have them ({@code WAIT}
     * after each push call, on the server that stored it): a failover within Redis's replication lag then cannot lose
     * an acknowledged push. A push the replicas did not confirm in time fails with {@link ErrorCode#REDIS_TIMEOUT}; its
     * jobs are stored on the master all the same, and pushing them again reports them as duplicates.
     */
    public JobProducer waitingForReplicas(int replicas, Duration timeout) {
        if (replicas < 1 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("replicas must be at least 1 and the timeout positive, were " + replicas + " and " + timeout);
        }
        return new JobProducer(pushes, settings, tracing, clock, partitioner, replicaWait, replicas, timeout);
    }

    public PushResult push(Job job) {
        return push(List.of(job));
    }

    public PushResult push(List<Job> jobs) {
        return Futures.join(pushAsync(jobs), "push");
    }

    /** Validates and encodes now (throws {@link InvalidJobException}), then pushes asynchronously. */
    public CompletableFuture<PushResult> pushAsync(List<Job> jobs) {
        JobTracing.PushTrace trace = tracing.startPush(jobs);
        CompletableFuture<PushResult> result;
        try {
            result = pushTraced(trace.jobs());
        } catch (RuntimeException e) {
            trace.end(e);
            throw e;
        }
        return result.whenComplete((r, e) -> trace.end(e));
    }

    private CompletableFuture<PushResult> confirmed(QueueName queue, PushResult result) {
        return replicaWait.await(queue, replicas, replicaTimeout.toMillis())
                .handle((acked, failure) -> {
                    if (failure != null) {
                        throw ErrorCode.toException(failure, "push (wait for replicas)", queue);
                    }
                    if (acked < replicas) {
                        throw new JobQueueException(ErrorCode.REDIS_TIMEOUT, "push (wait for replicas)", queue,
                                acked + " of " + replicas + " replica(s) confirmed the push within " + replicaTimeout.toMillis()
                                        + " ms; the jobs are stored on the master (pushed again, they are duplicates)", null);
                    }
                    return result;
                });
    }

    private CompletableFuture<PushResult> pushTraced(List<Job> jobs) {
        Map<QueueName, List<QueueScripts.PushItem>> byQueue = new LinkedHashMap<>();
        long now = clock.millis();
        for (Job job : jobs) {
            String stored = JobCodec.encodeStored(job, settings.maxPayloadBytes());
            RootJob root = job.root();
            long delay = job.releaseAt() == null ? 0 : Math.max(0, job.releaseAt() - now);
            byQueue.computeIfAbsent(partitioner.queueOf(job), q -> new ArrayList<>()).add(new QueueScripts.PushItem(job.id(), stored,
                    delay, job.dedupKey(), root == null ? null : root.signature(), root == null ? 0 : root.timestamp(),
                    job.expireAt() == null ? 0 : job.expireAt(), job.unique(), job.priority()));
        }
        List<CompletableFuture<PushResult>> parts = new ArrayList<>();
        byQueue.forEach((queue, items) -> {
            int from = 0;
            while (from < items.size()) {
                int to = PushCoalescer.chunkEnd(items, from, settings.batchSize());
                parts.add(replicas == 0 ? pushes.push(queue, items.subList(from, to))
                        : pushes.push(queue, items.subList(from, to)).thenCompose(r -> confirmed(queue, r)));
                from = to;
            }
        });
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> pushed = new ArrayList<>();
            List<String> duplicates = new ArrayList<>();
            for (CompletableFuture<PushResult> part : parts) {
                PushResult r = part.join();
                pushed.addAll(r.pushed());
                duplicates.addAll(r.duplicates());
            }
            return new PushResult(pushed, duplicates);
        });
    }
}
