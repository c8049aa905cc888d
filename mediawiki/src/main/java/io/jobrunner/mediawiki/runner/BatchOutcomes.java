package io.jobrunner.mediawiki.runner;

import io.jobrunner.mediawiki.MwQueue;
import io.jobrunner.mediawiki.MwSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a batch's end means for the runner: its outcome (the {@code outcome} label), the backoffs it sets,
 * whether the queue counts as drained, and its log line.
 * Outcomes are counted per wiki and type ({@code jobrunner_mediawiki_batches_total}).
 * <ul>
 *   <li>{@code drained} (none-ready): forget the queue until the chron sees it ready again; if MediaWiki's throttle
 *       named the type, back the type off instead. A batch that ran nothing while ready jobs were counted and that
 *       left them ready, twice in a row, is <em>misrouted</em> (its --wiki/--conf does not select this wiki): WARN and
 *       back the queue off. Jobs gone meanwhile were taken by another runner (a PHP runner during a migration);</li>
 *   <li>{@code job-limit}, {@code time-limit}, {@code memory-limit}: the queue stays ready;</li>
 *   <li>{@code none-possible}: the wiki has no class for the type; back the queue off, WARN once per backoff (its jobs
 *       wait, never lost); {@code read-only} and {@code replica-lag}: back the wiki off; {@code exception}: back
 *       the wiki off for the error delay;</li>
 *   <li>{@code error} (exit not 0, no JSON, not started) and {@code timeout}: ERROR with the exit code, stderr tail
 *       and command; back the queue off, doubling per failure (no respawn loop).</li>
 * </ul>
 */
final class BatchOutcomes {

    private static final Logger log = LoggerFactory.getLogger(BatchOutcomes.class);

    private final MwSettings.Backoff backoff;
    private final MwBackoffs backoffs;
    private final MwReadyView view;
    private final MwRunnerMetrics metrics;
    private final Clock clock;
    private final Map<MwQueue, Integer> emptyWhileReady = new ConcurrentHashMap<>();

    BatchOutcomes(MwSettings.Backoff backoff, MwBackoffs backoffs, MwReadyView view, MwRunnerMetrics metrics, Clock clock) {
        this.backoff = backoff;
        this.backoffs = backoffs;
        this.view = view;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Applies the batch's end; {@code readySeen} is what the readiness check counted (-1: not checked), and
     * {@code readyNow} counts the queue's ready jobs again (-1: could not tell), asked only of a batch that ran
     * nothing while jobs were counted.
     */
    String apply(MwQueue queue, BatchRun run, long readySeen, LongSupplier readyNow, String where) {
        long now = clock.millis();
        RunJobsResult r = run.result();
        String outcome = outcome(run);
        metrics.batch(queue, outcome);
        metrics.batchTime(queue).update(run.elapsed().toNanos(), TimeUnit.NANOSECONDS);
        r.backoffs().forEach((type, until) -> backoffs.type(type, (long) (until * 1000)));
        switch (outcome) {
            case "drained" -> {
                backoffs.succeeded(queue);
                long ran = r.ok() + r.failed();
                // the jobs still there: this batch's settings looked elsewhere; gone: another runner took them first
                if (ran == 0 && readySeen > 0 && !r.backoffs().containsKey(queue.type()) && readyNow.getAsLong() != 0) {
                    int times = emptyWhileReady.merge(queue, 1, Integer::sum);
                    if (times >= 2) {
                        emptyWhileReady.remove(queue);
                        backoffs.queue(queue, now + backoff.misrouted().toMillis(), now);
                        metrics.batch(queue, "misrouted");
                        log.warn("runJobs.php for wiki {} found no {} job but {} are ready: do --wiki/--conf select this wiki? "
                                + "(queue backed off {}s) {}", queue.domain(), queue.type(), readySeen, backoff.misrouted().toSeconds(), where);
                    }
                } else {
                    emptyWhileReady.remove(queue);
                    if (!r.backoffs().containsKey(queue.type())) {
                        view.drained(queue);
                    }
                }
            }
            case "job-limit", "time-limit", "memory-limit" -> {
                backoffs.succeeded(queue);
                emptyWhileReady.remove(queue);
            }
            case "none-possible" -> {
                if (backoffs.queue(queue, now + backoff.nonePossible().toMillis(), now)) {
                    log.warn("wiki {} has no job class {} ($wgJobClasses); its jobs wait (queue backed off {}s)", queue.domain(), queue.type(),
                            backoff.nonePossible().toSeconds());
                }
            }
            case "read-only" -> backoffs.domain(queue.domain(), now + backoff.readOnly().toMillis());
            case "replica-lag" -> backoffs.domain(queue.domain(), now + backoff.replicaLag().toMillis());
            case "exception" -> backoffs.domain(queue.domain(), now + backoff.errorInitial().toMillis());
            case "timeout" -> {
                long delay = backoffs.failed(queue, now).toMillis();
                log.error("batch {} killed after {} s (process timeout); its job stays claimed until the chron recycles it; "
                        + "backed off {} ms {} stderr: {}", queue, run.elapsed().toSeconds(), delay, where, run.stderr());
            }
            default -> {
                long delay = backoffs.failed(queue, now).toMillis();
                log.error("batch {} failed: {}; backed off {} ms; command {} {} stderr: {}", queue, describe(run), delay, run.command(), where,
                        run.stderr());
            }
        }
        logBatch(queue, run, outcome, where);
        return outcome;
    }

    static String outcome(BatchRun run) {
        if (run.timedOut()) {
            return "timeout";
        }
        if (!run.succeeded()) {
            return "error";
        }
        String reached = run.result().reached();
        if (reached == null) {
            return "drained";
        }
        return switch (reached) {
            case "none-ready" -> "drained";
            case "replica-lag-limit" -> "replica-lag";
            case "job-limit", "time-limit", "memory-limit", "exception", "none-possible", "read-only" -> reached;
            default -> "drained";
        };
    }

    private static String describe(BatchRun run) {
        if (run.startError() != null) {
            return "could not start: " + run.startError();
        }
        if (run.exitCode() != 0) {
            return "exit code " + run.exitCode() + (run.result().parsed() ? "" : " (" + run.result().problem() + ")");
        }
        return run.result().problem() + (run.result().before().isEmpty() ? "" : "; output: " + run.result().before());
    }

    private static void logBatch(MwQueue queue, BatchRun run, String outcome, String where) {
        RunJobsResult r = run.result();
        if (!r.before().isEmpty() && run.succeeded()) {
            log.warn("batch {} printed before its JSON: {}", queue, r.before());
        }
        if (r.failed() > 0) {
            log.info("batch {} {}: {} ok, {} failed in {} ms, first errors {} {}", queue, outcome, r.ok(), r.failed(),
                    run.elapsed().toMillis(), r.errors(), where);
        } else if (log.isDebugEnabled()) {
            log.debug("batch {} {}: {} ok in {} ms {}", queue, outcome, r.ok(), run.elapsed().toMillis(), where);
        }
    }
}
