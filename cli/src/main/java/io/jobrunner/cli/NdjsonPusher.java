package io.jobrunner.cli;

import io.jobrunner.client.InvalidJobException;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobCodec;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.PushResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Pushes the jobs of an NDJSON stream (one job per line, see {@link JobLineParser}).
 * <ol>
 *   <li>parses each line; a bad line becomes a {@link Rejection} with its line number and reason, and the
 *       good lines go on;</li>
 *   <li>pushes good jobs in batches through {@link JobProducer#pushAsync}, with several batches in flight on
 *       the pipelined connection;</li>
 *   <li>when a batch is refused before Redis (a job over the payload cap), finds the culprits one by one,
 *       rejects them and pushes the rest;</li>
 *   <li>stops reading on the first Redis failure: the jobs of failed batches are counted as not confirmed;</li>
 *   <li>keeps the counters the progress display reads while it runs, and returns a {@link Summary}.</li>
 * </ol>
 * Blank lines are skipped and counted; nothing else is ever dropped without being reported.
 */
final class NdjsonPusher {

    /** Rejections kept for the summary; all of them go to the listener. */
    static final int KEPT_REJECTIONS = 1000;

    record Rejection(long line, String reason) {
    }

    record Summary(long lines, long blank, long pushed, long duplicates, long rejected, List<Rejection> rejections,
                   long unconfirmed, String failure, long elapsedMillis) {

        boolean complete() {
            return rejected == 0 && unconfirmed == 0 && failure == null;
        }
    }

    private final JobProducer producer;
    private final JobLineParser parser;
    private final int maxPayloadBytes;
    private final int batchSize;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Consumer<Rejection> onRejection;
    private final Clock clock;

    final AtomicLong lines = new AtomicLong();
    final AtomicLong pushed = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    private final AtomicLong blank = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Rejection> kept = Collections.synchronizedList(new ArrayList<>());

    NdjsonPusher(JobProducer producer, Clock clock, int maxPayloadBytes, int batchSize, int maxInFlight,
                 Consumer<Rejection> onRejection) {
        this.producer = producer;
        this.parser = new JobLineParser(clock);
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.onRejection = onRejection;
    }

    Summary push(BufferedReader reader) throws InterruptedException {
        long started = clock.millis();
        List<Job> batch = new ArrayList<>(batchSize);
        List<Long> batchLines = new ArrayList<>(batchSize);
        try {
            String line;
            while (failure.get() == null && (line = reader.readLine()) != null) {
                long number = lines.incrementAndGet();
                if (line.isBlank()) {
                    blank.incrementAndGet();
                    continue;
                }
                JobLineParser.Parsed parsed = parser.parse(line);
                if (parsed.job() == null) {
                    reject(number, parsed.rejection());
                    continue;
                }
                batch.add(parsed.job());
                batchLines.add(number);
                if (batch.size() >= batchSize) {
                    submit(batch, batchLines);
                    batch = new ArrayList<>(batchSize);
                    batchLines = new ArrayList<>(batchSize);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read line " + (lines.get() + 1) + ": " + e.getMessage(), e);
        }
        if (!batch.isEmpty() && failure.get() == null) {
            submit(batch, batchLines);
        }
        inFlight.acquire(maxInFlight); // every batch answered
        inFlight.release(maxInFlight);
        Throwable failed = failure.get();
        return new Summary(lines.get(), blank.get(), pushed.get(), duplicates.get(), rejected.get(), List.copyOf(kept),
                unconfirmed.get(), failed == null ? null : message(failed), clock.millis() - started);
    }

    private void submit(List<Job> jobs, List<Long> jobLines) throws InterruptedException {
        inFlight.acquire();
        CompletableFuture<PushResult> result;
        List<Job> sent = jobs;
        try {
            try {
                result = producer.pushAsync(jobs);
            } catch (InvalidJobException wholeBatch) {
                sent = withoutInvalid(jobs, jobLines);
                result = sent.isEmpty() ? CompletableFuture.completedFuture(new PushResult(List.of(), List.of()))
                        : producer.pushAsync(sent);
            }
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        int size = sent.size();
        result.whenComplete((r, t) -> {
            if (t != null) {
                unconfirmed.addAndGet(size);
                failure.compareAndSet(null, t);
            } else {
                pushed.addAndGet(r.pushed().size());
                duplicates.addAndGet(r.duplicates().size());
            }
            inFlight.release();
        });
    }

    /** The jobs of the batch that encode within the payload cap; the others are rejected with their line. */
    private List<Job> withoutInvalid(List<Job> jobs, List<Long> jobLines) {
        List<Job> ok = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            try {
                JobCodec.encodeStored(jobs.get(i), maxPayloadBytes);
                ok.add(jobs.get(i));
            } catch (InvalidJobException e) {
                reject(jobLines.get(i), e.getMessage());
            }
        }
        return ok;
    }

    private void reject(long line, String reason) {
        rejected.incrementAndGet();
        Rejection r = new Rejection(line, reason);
        if (kept.size() < KEPT_REJECTIONS) {
            kept.add(r);
        }
        onRejection.accept(r);
    }

    private static String message(Throwable t) {
        Throwable cause = t;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
